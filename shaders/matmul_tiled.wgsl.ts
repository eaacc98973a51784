// The three products of any layer, register-tiled (the general 'tiled' step):
//   forward    Z = W·A_prev + b, A = g(Z)             W (rows, inner), A_prev (inner, cols)
//   dw         dW = scale·dZ·A_prevᵀ (+ dW for chunks) dZ (rows, inner), A_prev (cols, inner)
//   backward   dZ_prev = (Wᵀ·dZ) ⊙ g'(Z_prev)          W (inner, rows), dZ (inner, cols)
// Each invocation owns a 4×4 tile of the output: rows i0..i0+3, one vec4 accumulator
// each, times four neighbouring columns j0..j0+3 of the right operand; every load
// then serves four multiply-adds instead of one (the plain kernels: one entry each).
// Neighbouring invocations take neighbouring column tiles of the same rows, so the
// left operand's loads are the same across a workgroup.
// vec4 loads where the shapes allow: forward and backward read the right operand's
// four columns as one vec4 and store their four outputs as one (cols a multiple of 4); dw reads both operands, forward its
// W, along the sum as vec4s (inner a multiple of 4), four terms of each of the 16
// outputs per pass: 8 loads per 64 multiply-adds instead of 20 or 32.
// Sums over `inner` go in blocks of BLOCK terms, then the block sums (as sum_rows):
// one running float32 sum over many examples drifts.
// Rows and columns past the edge are clamped on load and skipped on store.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { activationFunctions, type LayerFunction } from './activations.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { block } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export type TiledProduct = 'forward' | 'dw' | 'backward';

export interface TiledMatmul {
  product: TiledProduct;
  /** forward: the layer's function; backward: the previous layer's activation (its g'). */
  g?: LayerFunction;
  /** forward, backward: the right operand's four columns as one vec4 load, the outputs as vec4 stores (cols % 4 = 0). */
  vec4Cols?: boolean;
  /** dw: both operands, forward: the left (W), as vec4s along the sum (inner % 4 = 0; forward needs vec4Cols too). */
  vec4Inner?: boolean;
}

/** The kernel's name: the product, its function and which loads are vec4s. */
export const tiledMatmulName = (k: TiledMatmul): string =>
  `matmul_tiled(${[k.product, k.g, k.vec4Cols && 'vec4 cols', k.vec4Inner && 'vec4 inner'].filter(Boolean).join(', ')})`;

/** finish(i, j0, s): row i of the output at columns j0..j0+3 (s), where they exist, by `body` (entry `at`, sum s[c]). */
const finishRow = (what: string, body: string): string => `
// Row i at columns j0..j0+3, where they exist: ${what}.
fn finish(i: u32, j0: u32, s: vec4f) {
  if (i >= dims.rows) { return; }
  for (var c = 0u; c < 4u; c++) {
    let j = j0 + c;
    if (j >= dims.cols) { return; }
    let at = i * dims.cols + j;${body}
  }
}`;

/** finish(i, j0, s) when cols % 4 = 0: the four columns exist together, stored as one vec4 at `at` by `body`. */
const finishRow4 = (what: string, body: string): string => `
// Row i at columns j0..j0+3 (cols % 4 = 0: all four exist, or none): ${what}.
fn finish(i: u32, j0: u32, s: vec4f) {
  if (i >= dims.rows || j0 >= dims.cols) { return; }
  let at = (i * dims.cols + j0) / 4u;${body}
}`;

/** What a product's kernel is made of, whatever its tiling. */
export interface ProductParts {
  /** Its bindings after the uniform dims. */
  bindings: string;
  /** Entry (row r, term k) of the left operand, (term k, column c) of the right, as WGSL expressions. */
  left(r: string, k?: string): string;
  right(c: string, k?: string): string;
  /** The right operand's four columns j0..j0+3 at term k as one vec4 (forward, backward; vec4 cols). */
  right4: string | null;
  /** Which index runs along memory in each operand (for loads by neighbouring invocations). */
  along: { left: 'inner' | 'rows'; right: 'inner' | 'cols' };
  /** fn finish(i, j0, s): row i at columns j0..j0+3 from their sums s. */
  finish: string;
}

/**
 * Each product's operands, bindings and what it does with a finished row of four sums;
 * `out4`: forward and backward store their outputs (and read Z_prev) as vec4s (cols % 4 = 0).
 */
export function productParts(product: TiledProduct, left: string, right: string, out4 = false): ProductParts {
  const out = out4 ? 'array<vec4f>' : 'array<f32>';
  const all: Record<TiledProduct, ProductParts> = {
    forward: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: ${left};    // W (rows, inner)
@group(0) @binding(2) var<storage, read> b: array<f32>;    // b (rows, 1)
@group(0) @binding(3) var<storage, read> R: ${right};    // A_prev (inner, cols)
@group(0) @binding(4) var<storage, read_write> Z: ${out};
@group(0) @binding(5) var<storage, read_write> A: ${out};
@group(0) @binding(6) var<storage, read_write> status: array<u32>;`,
      left: (r: string, k = 'k') => `L[${r} * dims.inner + ${k}]`,
      right: (c: string, k = 'k') => `R[${k} * dims.cols + ${c}]`,
      right4: `R[k * c4 + q]`,
      along: { left: 'inner', right: 'cols' },
      finish: out4
        ? finishRow4('Z and A, and status[0] = 1 on a non-finite z', `
  let z = s + b[i];
  Z[at] = z;
  A[at] = vec4f(g(z.x), g(z.y), g(z.z), g(z.w));
  let finite = is_finite(z.x) && is_finite(z.y) && is_finite(z.z) && is_finite(z.w);
  if (!finite) { status[0] = 1u; }`)
        : finishRow('Z and A, and status[0] = 1 on a non-finite z', `
    let z = s[c] + b[i];
    Z[at] = z;
    A[at] = g(z);
    if (!is_finite(z)) { status[0] = 1u; }`),
    },
    dw: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: ${left};    // dZ (rows, inner)
@group(0) @binding(2) var<storage, read> R: ${right};    // A_prev (cols, inner)
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;`,
      left: (r: string, k = 'k') => `L[${r} * dims.inner + ${k}]`,
      right: (c: string, k = 'k') => `R[${c} * dims.inner + ${k}]`,
      right4: null,
      along: { left: 'inner', right: 'inner' },
      // Chunks accumulate (beta 1); select, not beta·dW: 0·NaN is NaN, and a stale NaN must not outlive a restart.
      finish: finishRow('dW', `
    let part = dims.scale * s[c];
    dW[at] = select(part, dW[at] + part, dims.beta != 0.0);`),
    },
    backward: {
      bindings: `
@group(0) @binding(1) var<storage, read> L: array<f32>;    // W (inner, rows)
@group(0) @binding(2) var<storage, read> R: ${right};    // dZ (inner, cols)
@group(0) @binding(3) var<storage, read> Z_prev: ${out};
@group(0) @binding(4) var<storage, read_write> dZ_prev: ${out};`,
      left: (r: string, k = 'k') => `L[${k} * dims.rows + ${r}]`,
      right: (c: string, k = 'k') => `R[${k} * dims.cols + ${c}]`,
      right4: `R[k * c4 + q]`,
      along: { left: 'rows', right: 'cols' },
      finish: out4
        ? finishRow4("dZ_prev: (Wᵀ·dZ) ⊙ g'(Z_prev)", `
  let zp = Z_prev[at];
  dZ_prev[at] = s * vec4f(g_prime(zp.x), g_prime(zp.y), g_prime(zp.z), g_prime(zp.w));`)
        : finishRow("dZ_prev: (Wᵀ·dZ) ⊙ g'(Z_prev)", `
    dZ_prev[at] = s[c] * g_prime(Z_prev[at]);`),
    },
  };
  return all[product];
}

export function tiledMatmul(k: TiledMatmul): string {
  if (k.product !== 'dw' && !k.g) throw new Error(`matmul_tiled(${k.product}) needs its function g`);
  if (k.product === 'dw' && k.vec4Cols) throw new Error('matmul_tiled(dw) reads its operands along inner: no vec4Cols');
  if (k.product === 'backward' && k.vec4Inner) throw new Error('matmul_tiled(backward) reads W across rows: no vec4Inner');
  if (k.product === 'forward' && k.vec4Inner && !k.vec4Cols) throw new Error('matmul_tiled(forward) with vec4Inner needs vec4Cols');
  const right = k.vec4Cols || (k.product === 'dw' && k.vec4Inner) ? 'array<vec4f>' : 'array<f32>';
  const left = k.vec4Inner ? 'array<vec4f>' : 'array<f32>';
  const inner4 = k.vec4Inner === true;
  const parts = productParts(k.product, left, right, k.vec4Cols === true);
  // forward and backward only: dw reads along inner (its loop below), so it has no column load.
  const load = k.vec4Cols && parts.right4 ? `let r = ${parts.right4};` : `let r = vec4f(${['x', 'y', 'z', 'w'].map((c) => parts.right(`j.${c}`)).join(', ')});`;
  // Along inner by vec4s: four terms of the sum per pass, over inner / 4 vec4s (BLOCK / 4 per block).
  // dw: 16 dot products of 4 rows of dZ and 4 of A_prev; forward: 4 rows of W times 4 rows of A_prev.
  const forward4 = `
    let end = min(start + BLOCK / 4u, n4);
    for (var k = start; k < end; k++) {
      let rk = 4u * k * c4 + q;
      let r0 = R[rk];
      let r1 = R[rk + c4];
      let r2 = R[rk + 2u * c4];
      let r3 = R[rk + 3u * c4];
      let l0 = L[li.x + k];
      let l1 = L[li.y + k];
      let l2 = L[li.z + k];
      let l3 = L[li.w + k];
      t0 += l0.x * r0 + l0.y * r1 + l0.z * r2 + l0.w * r3;
      t1 += l1.x * r0 + l1.y * r1 + l1.z * r2 + l1.w * r3;
      t2 += l2.x * r0 + l2.y * r1 + l2.z * r2 + l2.w * r3;
      t3 += l3.x * r0 + l3.y * r1 + l3.z * r2 + l3.w * r3;
    }`;
  const loop = inner4 && k.product === 'forward' ? forward4 : inner4
    ? `
    let end = min(start + BLOCK / 4u, n4);
    for (var k = start; k < end; k++) {
      let r0 = R[rj.x + k];
      let r1 = R[rj.y + k];
      let r2 = R[rj.z + k];
      let r3 = R[rj.w + k];
      let l0 = L[li.x + k];
      let l1 = L[li.y + k];
      let l2 = L[li.z + k];
      let l3 = L[li.w + k];
      t0 += vec4f(dot(l0, r0), dot(l0, r1), dot(l0, r2), dot(l0, r3));
      t1 += vec4f(dot(l1, r0), dot(l1, r1), dot(l1, r2), dot(l1, r3));
      t2 += vec4f(dot(l2, r0), dot(l2, r1), dot(l2, r2), dot(l2, r3));
      t3 += vec4f(dot(l3, r0), dot(l3, r1), dot(l3, r2), dot(l3, r3));
    }`
    : `
    let end = min(start + BLOCK, dims.inner);
    for (var k = start; k < end; k++) {
      ${load}
      t0 += ${parts.left('i.x')} * r;
      t1 += ${parts.left('i.y')} * r;
      t2 += ${parts.left('i.z')} * r;
      t3 += ${parts.left('i.w')} * r;
    }`;
  return wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
${parts.bindings}

${WORKGROUP}
${block}
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
  // vec4s per row of a vec4 operand, out of the loops.
  let c4 = dims.cols / 4u;
  let n4 = dims.inner / 4u;
  let q = j0 / 4u;
  // Where rows i and j start in a vec4 operand along inner.
  let li = i * n4;
  let rj = j * n4;
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  var s2 = vec4f(0.0);
  var s3 = vec4f(0.0);
  for (var start = 0u; start < ${inner4 ? 'n4' : 'dims.inner'}; start += ${inner4 ? 'BLOCK / 4u' : 'BLOCK'}) {
    var t0 = vec4f(0.0);
    var t1 = vec4f(0.0);
    var t2 = vec4f(0.0);
    var t3 = vec4f(0.0);${loop}
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
