// Forward propagation for one layer:
//   Z = W · A_prev + b        W (rows, inner), A_prev (inner, cols), b (rows, 1)
//   A = g(Z)                  Z, A (rows, cols); cols = m, one example per column
// One invocation per entry of Z. The output layer uses the head's function: σ, or
// the identity (linear; softmax then runs softmax_columns on Z).
// status[0] becomes 1 when an entry of Z is not finite (the logits overflowed:
// the cost is then NaN even though every parameter may still be finite).
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { activationFunctions, type LayerFunction } from './activations.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const forwardLayer = (activation: LayerFunction): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> A_prev: array<f32>;
@group(0) @binding(4) var<storage, read_write> Z: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;

${WORKGROUP}

${numerics}
${activationFunctions(activation)}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // The grid may be 2-D when one dimension would pass 65,535 workgroups.
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  let i = idx / dims.cols;
  let j = idx % dims.cols;
  var z = b[i];
  for (var k = 0u; k < dims.inner; k++) {
    z += W[i * dims.inner + k] * A_prev[k * dims.cols + j];
  }
  Z[idx] = z;
  A[idx] = g(z);
  if (!is_finite(z)) { status[0] = 1u; }
}
`;
