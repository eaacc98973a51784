// L2 regularization's part of the cost, on the weights only (the course's):
//   J += (λ/2m)·Σ_l ‖W[l]‖²     metrics[0] += scale · Σ_i mask[i]·P[i]², scale = λ/2m
// One workgroup, a blocked sum (reductions.wgsl.ts).
import { workgroupSum } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const l2CostCode = /* wgsl */ `
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

${WORKGROUP}

fn term(_c: u32, i: u32) -> f32 {
  return mask[i] * P[i] * P[i];
}
${workgroupSum()}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let sum = workgroup_sum(0u, lid, dims.rows);
  if (lid == 0u) { metrics[0] += dims.scale * sum; }
}
`;
