// Equations (3) and (6): db = (1/m) · Σ_j dZ[:, j]   (np.sum(dZ, axis=1, keepdims=True))
//   dZ (rows, cols), db (rows, 1); cols = m, scale = 1/m
// serial: one invocation per row (short rows, a mini-batch: no tree of barriers, which
// on SwiftShader costs a coroutine switch per barrier and group of lanes); else one
// workgroup per row. Both sum in blocks (reductions.wgsl.ts). Chunks of examples
// accumulate: db = beta · db + scale · Σ (beta = 0, then 1).
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { serialSum, workgroupSum } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const sumRows = (serial: boolean): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

${WORKGROUP}

fn term(row: u32, j: u32) -> f32 {
  return dZ[row * dims.cols + j];
}
${serial ? serialSum() : workgroupSum()}

// select, not beta·db: 0·NaN is NaN, and a stale NaN must not outlive a restart.
fn finish(row: u32, sum: f32) {
  let part = dims.scale * sum;
  db[row] = select(part, db[row] + part, dims.beta != 0.0);
}

@compute @workgroup_size(WG)
#if ${serial}
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * nwg.x * WG;
  if (row >= dims.rows) { return; }
  finish(row, serial_sum(row, dims.cols));
}
#else
fn main(@builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  // Uniform per workgroup, so the early return keeps barriers in uniform control flow.
  let row = wid.x + wid.y * nwg.x;
  if (row >= dims.rows) { return; }
  let sum = workgroup_sum(row, lid, dims.cols);
  if (lid == 0u) { finish(row, sum); }
}
#endif
`;
