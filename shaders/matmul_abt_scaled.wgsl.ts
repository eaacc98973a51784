// Equations (2) and (5): dW = (1/m) · dZ · A_prevᵀ
//   dZ (rows, inner), A_prev (cols, inner), dW (rows, cols); inner = m, scale = 1/m
// serial: one invocation per entry (short sums, a mini-batch: no tree of barriers, which
// on SwiftShader costs a coroutine switch per barrier and group of lanes); else one
// workgroup per entry. Both sum in blocks (reductions.wgsl.ts). When the examples come
// in chunks, each adds its part: dW = beta · dW + scale · Σ, beta = 0 for the first
// chunk and 1 after, scale = 1/m of the whole set.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { serialSum, workgroupSum } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const matmulAbtScaled = (serial: boolean): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read> A_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;

${WORKGROUP}

// Term j of entry (i, k) = entry / cols, entry % cols.
fn term(entry: u32, j: u32) -> f32 {
  return dZ[(entry / dims.cols) * dims.inner + j] * A_prev[(entry % dims.cols) * dims.inner + j];
}
${serial ? serialSum() : workgroupSum()}

// select, not beta·dW: 0·NaN is NaN, and a stale NaN must not outlive a restart.
fn finish(entry: u32, sum: f32) {
  let part = dims.scale * sum;
  dW[entry] = select(part, dW[entry] + part, dims.beta != 0.0);
}

@compute @workgroup_size(WG)
#if ${serial}
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let entry = gid.x + gid.y * nwg.x * WG;
  if (entry >= dims.rows * dims.cols) { return; }
  finish(entry, serial_sum(entry, dims.inner));
}
#else
fn main(@builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  // Uniform per workgroup, so the early return keeps barriers in uniform control flow.
  let entry = wid.x + wid.y * nwg.x;
  if (entry >= dims.rows * dims.cols) { return; }
  let sum = workgroup_sum(entry, lid, dims.inner);
  if (lid == 0u) { finish(entry, sum); }
}
#endif
`;
