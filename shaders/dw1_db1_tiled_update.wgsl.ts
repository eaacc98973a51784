// Equations (5) and (6) for the hidden layer, register-tiled, with the update fused:
//   [dW1 | db1] = (1/m)·dZ1·[X; 1ᵀ]ᵀ = (1/m)·Σ_j dZ1T[j, :]ᵀ·XT1[j, :]
//   [W1 | b1] ← [W1 | b1] − α·[dW1 | db1]
//   dZ1T (M, N1), XT1 (M, K4) (transpose_x_ones.wgsl: column N0 is ones, then zeros);
//   output (N1, N0 + 1): column N0 is db1.
// Each invocation owns a 4×4 block of the output: rows i0..i0+3, one vec4 accumulator
// each, times the four neighbouring columns 4q..4q+3 of XT1 read as one vec4 (the
// loads of dZ1T do not depend on the invocation within the workgroup). It owns its
// entries outright, so it writes dP and updates P in its epilogue.
// The sum over examples goes in blocks of BLOCK terms, then the block sums (as
// sum_rows.wgsl): one running float32 sum over many examples drifts.
// status[0] = 1 when an updated parameter is not finite (is_finite: a bit test, numerics.wgsl.ts).
import { block } from './reductions.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { descend } from './updates.wgsl.ts';

export const dw1Db1TiledUpdate = /* wgsl */ `
struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> dZ1T: array<f32>;
@group(0) @binding(2) var<storage, read> XT1: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> dP: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<u32>;

override WG: u32 = 64;
override N0: u32;
override N1: u32;
override M: u32;
override Q: u32;          // K4 / 4: vec4s per row of XT1
override OW1: u32;        // offsets of W1 and b1 in P (and dW1, db1 in dP), in floats
override OB1: u32;
override ROW_BLOCKS: u32; // blocks of 4 rows: ceil(N1 / 4)
${block}
${numerics}
${descend}

// Gradient and update of output row i, columns 4q..4q+3 (column N0 is b1), where they exist.
fn finish_row(i: u32, q: u32, sum: vec4f) {
  if (i >= N1) { return; }
  for (var c = 0u; c < 4u; c++) {
    let k = 4u * q + c;
    if (k > N0) { return; }
    let at = select(OB1 + i, OW1 + i * N0 + k, k < N0);
    let d = sum[c] / f32(M);
    dP[at] = d;
    let p = descend(P[at], step.alpha, d);
    P[at] = p;
    if (!is_finite(p)) { status[0] = 1u; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let group = wid.x + wid.y * nwg.x;
  // Neighbouring workgroups (run at the same time) take the same columns and other
  // rows, so they stream the same slab of columns (for caches on larger m).
  let i0 = (group % ROW_BLOCKS) * 4u;
  let q = (group / ROW_BLOCKS) * WG + lid;
  if (i0 >= N1 || q >= Q) { return; }
  let i = min(vec4u(i0) + vec4u(0u, 1u, 2u, 3u), vec4u(N1 - 1u));
  var s0 = vec4f(0.0); var s1 = vec4f(0.0); var s2 = vec4f(0.0); var s3 = vec4f(0.0);
  for (var start = 0u; start < M; start += BLOCK) {
    var t0 = vec4f(0.0); var t1 = vec4f(0.0); var t2 = vec4f(0.0); var t3 = vec4f(0.0);
    let end = min(start + BLOCK, M);
    for (var j = start; j < end; j++) {
      let x = XT1[j * Q + q];
      let d = j * N1 + i;
      t0 += dZ1T[d.x] * x;
      t1 += dZ1T[d.y] * x;
      t2 += dZ1T[d.z] * x;
      t3 += dZ1T[d.w] * x;
    }
    s0 += t0; s1 += t1; s2 += t2; s3 += t3;
  }
  finish_row(i0, q, s0);
  finish_row(i0 + 1u, q, s1);
  finish_row(i0 + 2u, q, s2);
  finish_row(i0 + 3u, q, s3);
}
`;
