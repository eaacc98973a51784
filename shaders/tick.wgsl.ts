// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { WORKGROUP } from './common.wgsl.ts';
export default /* wgsl */ `// The end of a step: clock[0] = updates taken so far, read by the next step's
// batch indices and Adam's bias correction. One invocation, after the update.

@group(0) @binding(0) var<storage, read_write> clock: array<u32>;

${WORKGROUP}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (lid == 0u) { clock[0] += 1u; }
}
`;
