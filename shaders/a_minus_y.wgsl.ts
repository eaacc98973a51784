// Equation (1): dZ[L] = A[L] − T, exact for each head with its own cost (heads.wgsl.ts).
//   A, dZ (rows, cols) = (n_L, m); Y (n_L, m), or (1, m) class ids for softmax
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Head } from '../src/types.ts';
import { headDz, headTarget } from './heads.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const aMinusY = (head: Head): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dZ: array<f32>;

${WORKGROUP}

${headDz}
${headTarget(head)}

fn y_at(i: u32, j: u32) -> f32 {
  return Y[i * dims.cols + j];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  dZ[idx] = head_dz(A[idx], target_of(idx / dims.cols, idx % dims.cols));
}
`;
