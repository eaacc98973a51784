// The three products of any layer, register-tiled (the general 'tiled' step):
//   forward    Z = W·A_prev + b, A = g(Z)             W (rows, inner), A_prev (inner, cols)
//   dw         dW = scale·dZ·A_prevᵀ (+ dW for chunks) dZ (rows, inner), A_prev (cols, inner)
//   backward   dZ_prev = (Wᵀ·dZ) ⊙ g'(Z_prev)          W (inner, rows), dZ (inner, cols)
// Each invocation owns a 4×4 tile of the output: rows i0..i0+3, one vec4 accumulator
// each, times four neighbouring columns j0..j0+3 of the right operand; every load
// then serves four multiply-adds instead of one (the plain kernels: one entry each).
// Neighbouring invocations take neighbouring column tiles of the same rows, so the
// left operand's loads are the same across a workgroup.
// When the right operand's rows are whole vec4s (cols a multiple of 4, forward and
// backward), its four columns are one vec4 load.
// Sums over `inner` go in blocks of BLOCK terms, then the block sums (as sum_rows):
// one running float32 sum over many examples drifts.
// Rows and columns past the edge are clamped on load and skipped on store.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { activationFunctions, type LayerFunction } from './activations.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';

export type TiledProduct = 'forward' | 'dw' | 'backward';

export interface TiledMatmul {
  product: TiledProduct;
  /** forward: the layer's function; backward: the previous layer's activation (its g'). */
  g?: LayerFunction;
  /** The right operand read as vec4s (its rows hold a multiple of 4 floats): forward and backward only. */
  vec4: boolean;
}

/** The kernel's name: the product, its function and whether it reads vec4s. */
export const tiledMatmulName = (k: TiledMatmul): string =>
  `matmul_tiled(${k.product}${k.g ? `, ${k.g}` : ''}${k.vec4 ? ', vec4' : ''})`;

export function tiledMatmul(k: TiledMatmul): string {
  if (k.vec4 && k.product === 'dw') throw new Error('matmul_tiled(dw) reads its right operand by rows of inner: no vec4');
  if (k.product !== 'dw' && !k.g) throw new Error(`matmul_tiled(${k.product}) needs its function g`);
  const right = k.vec4 ? 'array<vec4f>' : 'array<f32>';
  // Each product's operands, bindings and what it does with a finished row of four sums.
  const parts = {
    forward: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: array<f32>;    // W (rows, inner)
@group(0) @binding(2) var<storage, read> b: array<f32>;    // b (rows, 1)
@group(0) @binding(3) var<storage, read> R: ${right};    // A_prev (inner, cols)
@group(0) @binding(4) var<storage, read_write> Z: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;`,
      left: (r: string) => `L[${r} * dims.inner + k]`,
      right: (c: string) => `R[k * dims.cols + ${c}]`,
      right4: `R[k * (dims.cols / 4u) + j0 / 4u]`,
      finish: `
// Row i of Z and A at columns j0..j0+3, where they exist; status[0] = 1 on a non-finite z.
fn finish(i: u32, j0: u32, s: vec4f) {
  if (i >= dims.rows) { return; }
  for (var c = 0u; c < 4u; c++) {
    let j = j0 + c;
    if (j >= dims.cols) { return; }
    let z = s[c] + b[i];
    Z[i * dims.cols + j] = z;
    A[i * dims.cols + j] = g(z);
    if (!is_finite(z)) { status[0] = 1u; }
  }
}`,
    },
    dw: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: array<f32>;    // dZ (rows, inner)
@group(0) @binding(2) var<storage, read> R: array<f32>;    // A_prev (cols, inner)
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;`,
      left: (r: string) => `L[${r} * dims.inner + k]`,
      right: (c: string) => `R[${c} * dims.inner + k]`,
      right4: '',
      finish: `
// Row i of dW at columns j0..j0+3, where they exist. Chunks accumulate (beta 1); select,
// not beta·dW: 0·NaN is NaN, and a stale NaN must not outlive a restart.
fn finish(i: u32, j0: u32, s: vec4f) {
  if (i >= dims.rows) { return; }
  for (var c = 0u; c < 4u; c++) {
    let j = j0 + c;
    if (j >= dims.cols) { return; }
    let at = i * dims.cols + j;
    let part = dims.scale * s[c];
    dW[at] = select(part, dW[at] + part, dims.beta != 0.0);
  }
}`,
    },
    backward: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: array<f32>;    // W (inner, rows)
@group(0) @binding(2) var<storage, read> R: ${right};    // dZ (inner, cols)
@group(0) @binding(3) var<storage, read> Z_prev: array<f32>;
@group(0) @binding(4) var<storage, read_write> dZ_prev: array<f32>;`,
      left: (r: string) => `L[k * dims.rows + ${r}]`,
      right: (c: string) => `R[k * dims.cols + ${c}]`,
      right4: `R[k * (dims.cols / 4u) + j0 / 4u]`,
      finish: `
// Row i of dZ_prev at columns j0..j0+3, where they exist: (Wᵀ·dZ) ⊙ g'(Z_prev).
fn finish(i: u32, j0: u32, s: vec4f) {
  if (i >= dims.rows) { return; }
  for (var c = 0u; c < 4u; c++) {
    let j = j0 + c;
    if (j >= dims.cols) { return; }
    let at = i * dims.cols + j;
    dZ_prev[at] = s[c] * g_prime(Z_prev[at]);
  }
}`,
    },
  }[k.product];
  const load = k.vec4 ? `let r = ${parts.right4};` : `let r = vec4f(${['x', 'y', 'z', 'w'].map((c) => parts.right(`j.${c}`)).join(', ')});`;
  return wgsl`
struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
${parts.bindings}

override WG: u32 = 64;
const BLOCK: u32 = 256u;

${numerics}
${k.g ? activationFunctions(k.g) : ''}
${parts.finish}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // The grid may be 2-D when one dimension would pass 65,535 workgroups.
  let tile = gid.x + gid.y * nwg.x * WG;
  let col_tiles = (dims.cols + 3u) / 4u;
  if (tile >= ((dims.rows + 3u) / 4u) * col_tiles) { return; }
  let i0 = (tile / col_tiles) * 4u;
  let j0 = (tile % col_tiles) * 4u;
  let i = min(vec4u(i0) + vec4u(0u, 1u, 2u, 3u), vec4u(dims.rows - 1u));
  let j = min(vec4u(j0) + vec4u(0u, 1u, 2u, 3u), vec4u(dims.cols - 1u));
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  var s2 = vec4f(0.0);
  var s3 = vec4f(0.0);
  for (var start = 0u; start < dims.inner; start += BLOCK) {
    var t0 = vec4f(0.0);
    var t1 = vec4f(0.0);
    var t2 = vec4f(0.0);
    var t3 = vec4f(0.0);
    let end = min(start + BLOCK, dims.inner);
    for (var k = start; k < end; k++) {
      ${load}
      t0 += ${parts.left('i.x')} * r;
      t1 += ${parts.left('i.y')} * r;
      t2 += ${parts.left('i.z')} * r;
      t3 += ${parts.left('i.w')} * r;
    }
    s0 += t0;
    s1 += t1;
    s2 += t2;
    s3 += t3;
  }
  finish(i0, j0, s0);
  finish(i0 + 1u, j0, s1);
  finish(i0 + 2u, j0, s2);
  finish(i0 + 3u, j0, s3);
}
`;
}
