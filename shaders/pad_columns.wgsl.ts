// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// X with zero columns appended up to a multiple of 4 (made once, when the tiled step is
// built, and only when M is not already one):
//   Xp = [X 0]      X (N0, M), Xp (N0, M4), M4 = 4·ceil(M/4)
// so that the tiled forward kernel reads four neighbouring examples as one vec4.
// One invocation per entry of Xp, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Xp: array<f32>;

${WORKGROUP}
override N0: u32;
override M: u32;
override M4: u32;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= N0 * M4) { return; }
  let k = idx / M4;
  let j = idx % M4;
  Xp[idx] = select(0.0, X[k * M + min(j, M - 1u)], j < M);
}
`;
