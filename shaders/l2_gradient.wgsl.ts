// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { DIMS, WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// L2 regularization's part of the gradient, on the weights only:
//   dW[l] += (λ/m)·W[l]       over the flat parameter buffer: dP += scale · mask ⊙ P
// mask is 1 on the entries of every W[l] and 0 on biases and padding; scale = λ/m
// with m the whole training set's, so that batches estimate one objective.

${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> dP: array<f32>;

${WORKGROUP}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows) { return; }
  dP[idx] += dims.scale * mask[idx] * P[idx];
}
`;
