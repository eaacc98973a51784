// The three products of any layer, staged in workgroup memory (the 'shared' step, for
// GPUs): the same products, bindings and epilogues as matmul_tiled.wgsl.ts
// (productParts), tiled the way fast GPU matmuls are:
//   a workgroup of 16×16 invocations owns a 64×64 tile of the output; each invocation
//   a 4×4 block of it (rows 4·ty.., columns 4·tx..), in four vec4 accumulators;
//   the sum runs over slabs of TK terms: the workgroup copies the slab of the left
//   operand (64 rows × TK) and of the right (TK × 64 columns) into workgroup memory,
//   neighbouring invocations reading neighbouring addresses, waits at a barrier, and
//   every invocation then reads its 4 rows and 4 columns there as two vec4s per term;
//   each value loaded from storage serves 64 multiply-adds of the workgroup.
// Entries past the edges load as 0 and are skipped on store, so any shape runs.
// Sums over `inner` go in blocks of BLOCK terms, then the block sums (as sum_rows).
// On SwiftShader workgroup memory is slower than plain loads (docs/PERFORMANCE.md), so
// the trainer takes these kernels only on adapters that are not fallback adapters;
// the tests force them there to keep them correct.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { activationFunctions } from './activations.wgsl.ts';
import { productParts, type TiledMatmul } from './matmul_tiled.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { block } from './reductions.wgsl.ts';
import { DIMS } from './common.wgsl.ts';

/** Output tile edge per workgroup, invocations per edge and terms per slab. */
export const SHARED_TILE = 64;
export const SHARED_THREADS = 16;
export const SHARED_TK = 16;

export type SharedMatmul = Pick<TiledMatmul, 'product' | 'g'>;

/** The kernel's name: the product and its function. */
export const sharedMatmulName = (k: SharedMatmul): string => `matmul_shared(${[k.product, k.g].filter(Boolean).join(', ')})`;

export function sharedMatmul(k: SharedMatmul): string {
  if (k.product !== 'dw' && !k.g) throw new Error(`matmul_shared(${k.product}) needs its function g`);
  const parts = productParts(k.product, 'array<f32>', 'array<f32>');
  // Slab entry e (0 .. 64·TK − 1) as (tile row or column, term): the index that runs along
  // memory in the operand varies fastest between neighbouring invocations.
  const slab = (along: 'inner' | 'rows' | 'cols') =>
    along === 'inner' ? { t: 'e / TK', kk: 'e % TK' } : { t: 'e % TILE', kk: 'e / TILE' };
  const l = slab(parts.along.left);
  const r = slab(parts.along.right);
  return wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
${parts.bindings}

const TILE: u32 = ${SHARED_TILE}u;  // output rows and columns per workgroup
const THREADS: u32 = ${SHARED_THREADS}u; // invocations per edge: TILE / 4
const TK: u32 = ${SHARED_TK}u;     // terms of the sum per slab
${block}
${numerics}
${k.g ? activationFunctions(k.g) : ''}
${parts.finish}

// The slabs: Ls[kk·TILE + row], Rs[kk·TILE + column] of the tile.
var<workgroup> Ls: array<f32, ${SHARED_TILE * SHARED_TK}>;
var<workgroup> Rs: array<f32, ${SHARED_TILE * SHARED_TK}>;

@compute @workgroup_size(${SHARED_THREADS}, ${SHARED_THREADS})
fn main(
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
) {
  // The grid may be 2-D when one dimension would pass 65,535 workgroups.
  let group = wid.x + wid.y * nwg.x;
  let col_tiles = (dims.cols + TILE - 1u) / TILE;
  // The same for the whole workgroup, so returning here keeps the barriers uniform.
  if (group >= ((dims.rows + TILE - 1u) / TILE) * col_tiles) { return; }
  let row0 = (group / col_tiles) * TILE;
  let col0 = (group % col_tiles) * TILE;
  let flat = lid.y * THREADS + lid.x;
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  var s2 = vec4f(0.0);
  var s3 = vec4f(0.0);
  var t0 = vec4f(0.0);
  var t1 = vec4f(0.0);
  var t2 = vec4f(0.0);
  var t3 = vec4f(0.0);
  for (var k0 = 0u; k0 < dims.inner; k0 += TK) {
    // Copy the slabs: 64·TK entries of each operand, TILE·TK / 256 per invocation; 0 past the edges.
    for (var e = flat; e < TILE * TK; e += THREADS * THREADS) {
      // Left: row lt of the tile, term lk of the slab; right: column rt, term rk.
      let lt = ${l.t};
      let lk = ${l.kk};
      let l_in = row0 + lt < dims.rows && k0 + lk < dims.inner;
      let lr = min(row0 + lt, dims.rows - 1u);
      let li = min(k0 + lk, dims.inner - 1u);
      Ls[lk * TILE + lt] = select(0.0, ${parts.left('lr', 'li')}, l_in);
      let rt = ${r.t};
      let rk = ${r.kk};
      let r_in = col0 + rt < dims.cols && k0 + rk < dims.inner;
      let rc = min(col0 + rt, dims.cols - 1u);
      let ri = min(k0 + rk, dims.inner - 1u);
      Rs[rk * TILE + rt] = select(0.0, ${parts.right('rc', 'ri')}, r_in);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let a = kk * TILE + 4u * lid.y;
      let b = kk * TILE + 4u * lid.x;
      let rv = vec4f(Rs[b], Rs[b + 1u], Rs[b + 2u], Rs[b + 3u]);
      t0 += Ls[a] * rv;
      t1 += Ls[a + 1u] * rv;
      t2 += Ls[a + 2u] * rv;
      t3 += Ls[a + 3u] * rv;
    }
    workgroupBarrier();
    // A block of BLOCK terms is done (BLOCK is a multiple of TK): into the running sums.
    if ((k0 + TK) % BLOCK == 0u) {
      s0 += t0;
      s1 += t1;
      s2 += t2;
      s3 += t3;
      t0 = vec4f(0.0);
      t1 = vec4f(0.0);
      t2 = vec4f(0.0);
      t3 = vec4f(0.0);
    }
  }
  let i0 = row0 + 4u * lid.y;
  let j0 = col0 + 4u * lid.x;
  finish(i0, j0, s0 + t0);
  finish(i0 + 1u, j0, s1 + t1);
  finish(i0 + 2u, j0, s2 + t2);
  finish(i0 + 3u, j0, s3 + t3);
}
`;
}
