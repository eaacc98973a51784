// The weight penalties, one owner: L2's (λ2/2m)·Σ‖W‖² and L1's (λ1/m)·Σ|W|, on the
// weights only (mask is 1 on the entries of every W[l], 0 on biases and padding), with
// m the whole training set's so that batches estimate one objective. Dims carries the
// two factors: scale for L2's, beta1 for L1's (common.wgsl.ts).
import { workgroupSum } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

/**
 * The penalties at one weight p, given their factors: the gradient's part
 * l2·p + l1·sign(p) (l2 = λ2/m, l1 = λ1/m; sign(0) = 0: a weight at zero is not pushed
 * either way) and the cost's part l2·p² + l1·|p| (l2 = λ2/2m, l1 = λ1/m).
 */
export const penaltyTerms = /* wgsl */ `
fn penalty_gradient(p: f32, l2: f32, l1: f32) -> f32 {
  return l2 * p + l1 * sign(p);
}

fn penalty_cost(p: f32, l2: f32, l1: f32) -> f32 {
  return l2 * p * p + l1 * abs(p);
}
`;

/** The penalties' part of the gradient: dP += mask ⊙ penalty_gradient(P), scale = λ2/m, beta1 = λ1/m. */
export const penaltyGradientCode = /* wgsl */ `
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> dP: array<f32>;

${WORKGROUP}
${penaltyTerms}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows) { return; }
  dP[idx] += mask[idx] * penalty_gradient(P[idx], dims.scale, dims.beta1);
}
`;

/**
 * The penalties' part of the cost: metrics[0] += Σ mask ⊙ penalty_cost(P), scale = λ2/2m,
 * beta1 = λ1/m. One workgroup, a blocked sum (reductions.wgsl.ts).
 */
export const penaltyCostCode = /* wgsl */ `
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

${WORKGROUP}
${penaltyTerms}
fn term(_c: u32, i: u32) -> f32 {
  return mask[i] * penalty_cost(P[i], dims.scale, dims.beta1);
}
${workgroupSum()}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let sum = workgroup_sum(0u, lid, dims.rows);
  if (lid == 0u) { metrics[0] += sum; }
}
`;
