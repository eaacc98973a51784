// Forward propagation through the hidden layer, register-tiled (the 'tiled' step):
//   A1 = g(Z1),  Z1 = W1·X + b1     W1 (N1, N0) and b1 (N1, 1) inside P,
//                                    X (N0, M4) and A1 (N1, M4), M4 = 4·ceil(m/4) (zero columns appended)
// Each invocation computes a 4×4 block of A1: rows i0..i0+3, one vec4 accumulator
// each, times the four neighbouring examples 4q..4q+3 of X read as one vec4. The
// loads of W1 do not depend on the invocation within the workgroup; vec4 loads and
// the multiply-adds are what costs (docs/PERFORMANCE.md: the tile shapes tried).
// Z1 is not kept: the backward kernels take g'(Z1) from A1 (g_prime_of_a.wgsl.ts).
// Rows past N1 are clamped on load and skipped on store; the appended columns of A1
// hold g(b1) and are never read as examples.
// Workgroups: ROW_BLOCKS = ceil(N1/4) row blocks × ceil(Q/WG) column blocks, numbered linearly
// and folded into a 2-D grid when there are more than 65,535 (src/gpu/grid.ts).
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Activation } from '../src/types.ts';
import { activationFunctions } from './activations.wgsl.ts';
import { WORKGROUP } from './common.wgsl.ts';

export const forwardHiddenTiled = (activation: Activation): string => wgsl`
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> X: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> A1: array<vec4f>;

${WORKGROUP}
override N0: u32;
override N1: u32;
override Q: u32;          // M4 / 4: vec4s per row of X and A1
override OW1: u32;        // offsets of W1 and b1 in P, in floats
override OB1: u32;
override ROW_BLOCKS: u32; // blocks of 4 rows: ceil(N1 / 4)

${activationFunctions(activation)}

fn g4(z: vec4f) -> vec4f { return vec4f(g(z.x), g(z.y), g(z.z), g(z.w)); }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let group = wid.x + wid.y * nwg.x;
  // Neighbouring workgroups (run at the same time) take the same columns and other
  // rows, so they stream the same slab of columns (for caches on larger m).
  let i0 = (group % ROW_BLOCKS) * 4u;
  let q = (group / ROW_BLOCKS) * WG + lid;
  if (i0 >= N1 || q >= Q) { return; }
  let i = min(vec4u(i0) + vec4u(0u, 1u, 2u, 3u), vec4u(N1 - 1u));
  let w = OW1 + i * N0;
  var z0 = vec4f(P[OB1 + i.x]); var z1 = vec4f(P[OB1 + i.y]); var z2 = vec4f(P[OB1 + i.z]); var z3 = vec4f(P[OB1 + i.w]);
  for (var k = 0u; k < N0; k++) {
    let x = X[k * Q + q];
    z0 += P[w.x + k] * x;
    z1 += P[w.y + k] * x;
    z2 += P[w.z + k] * x;
    z3 += P[w.w + k] * x;
  }
  A1[i0 * Q + q] = g4(z0);
  if (i0 + 1u < N1) { A1[(i0 + 1u) * Q + q] = g4(z1); }
  if (i0 + 2u < N1) { A1[(i0 + 2u) * Q + q] = g4(z2); }
  if (i0 + 3u < N1) { A1[(i0 + 3u) * Q + q] = g4(z3); }
}
`;
