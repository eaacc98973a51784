// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { DIMS, WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// The backward product through a layer's weights: dA_prev = Wᵀ · dZ
//   W (inner, rows), dZ (inner, cols), dA_prev (rows, cols)
//   e.g. W2 (n2, n1), dZ2 (n2, m) give W2ᵀ·dZ2 (n1, m)

${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> dZ: array<f32>;
@group(0) @binding(3) var<storage, read_write> dA_prev: array<f32>;

${WORKGROUP}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  let i = idx / dims.cols;
  let j = idx % dims.cols;
  var sum = 0.0;
  for (var k = 0u; k < dims.inner; k++) {
    sum += W[k * dims.rows + i] * dZ[k * dims.cols + j];
  }
  dA_prev[idx] = sum;
}
`;
