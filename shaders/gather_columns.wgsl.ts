// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { DIMS, WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// A mini-batch's columns: out[i, j] = src[i, index[j]].
//   src (rows, inner) = (n, m), out (rows, cols) = (n, batch), index (batch)

${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> index: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

${WORKGROUP}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  let i = idx / dims.cols;
  let j = idx % dims.cols;
  out[idx] = src[i * dims.inner + index[j]];
}
`;
