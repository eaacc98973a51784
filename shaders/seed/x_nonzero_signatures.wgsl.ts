// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { WORKGROUP } from '../common.wgsl.ts';
export default /* wgsl */ `// Each example's signature for the order of the sparse forward's blocks
// (src/network/example-order.ts): bit k mod 32 of word (k mod 32·W) / 32 is set when
// X[k, j] ≠ 0, so inputs k and k + 32·W share a bit (W = min(ceil(N0 / 32), 32) words).
// X (N0, M); signatures (M, W) u32, example-major.
// One invocation per example, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> signatures: array<u32>;

${WORKGROUP}
override N0: u32;
override M: u32;
override W: u32;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * WG;
  if (j >= M) { return; }
  for (var w = 0u; w < W; w++) {
    var bits = 0u;
    for (var base = 32u * w; base < N0; base += 32u * W) {
      for (var b = 0u; b < 32u && base + b < N0; b++) {
        if (X[(base + b) * M + j] != 0.0) { bits |= 1u << b; }
      }
    }
    signatures[j * W + w] = bits;
  }
}
`;
