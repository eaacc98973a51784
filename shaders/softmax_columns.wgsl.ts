// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { DIMS, WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// The softmax head's output function, per example (column):
//   A[i, j] = e^(Z[i, j] − max_k Z[k, j]) / Σ_k e^(Z[k, j] − max_k Z[k, j])
//   Z, A (rows, cols) = (K, m). Subtracting the column's max keeps every exp ≤ 1.
// One invocation per column.

${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<f32>;

${WORKGROUP}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * WG;
  let m = dims.cols;
  if (j >= m) { return; }
  var zmax = Z[j];
  for (var i = 1u; i < dims.rows; i++) { zmax = max(zmax, Z[i * m + j]); }
  var sum = 0.0;
  for (var i = 0u; i < dims.rows; i++) { sum += exp(Z[i * m + j] - zmax); }
  for (var i = 0u; i < dims.rows; i++) { A[i * m + j] = exp(Z[i * m + j] - zmax) / sum; }
}
`;
