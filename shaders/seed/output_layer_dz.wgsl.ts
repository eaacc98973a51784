// The output layer (n2 = 1) and the two dZ's, one invocation per example j:
//   z2 = W2·A1[:, j] + b2,  dZ2 = σ(z2) − y        W2 (1, N1), b2 inside P, Y (1, M), A1 (N1, M4), M4 ≥ M
//   dZ1[:, j] = W2ᵀ·dZ2 ⊙ g'(Z1[:, j])  (an outer product for n2 = 1), stored transposed: dZ1T (M, N1)
//   E (3, M): row 0 dZ2, row 1 the loss max(z,0) − z·y + log(1 + e^−|z|), row 2 (z > 0) == (y > 0.5)
// dZ1 is stored example-major so that the dW1 kernel, which sums over examples,
// reads each example's row of dZ1 as a few neighbouring floats.
// status[0] = 1 when z2 is not finite (the cost is then NaN though the parameters may be finite).
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { headDz, sigmoidLoss } from '../heads.wgsl.ts';
import { numerics } from '../numerics.wgsl.ts';
import type { Activation } from '../../src/types.ts';
import { activationFunctions } from '../activations.wgsl.ts';
import { gPrimeOfA } from '../g_prime_of_a.wgsl.ts';
import { WORKGROUP } from '../common.wgsl.ts';

export const outputLayerDz = (activation: Activation): string => wgsl`
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> Y: array<f32>;
@group(0) @binding(2) var<storage, read> A1: array<f32>;
@group(0) @binding(3) var<storage, read_write> dZ1T: array<f32>;
@group(0) @binding(4) var<storage, read_write> E: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<u32>;

${WORKGROUP}
override N1: u32;
override M: u32;
override M4: u32; // row length of A1: m rounded up to whole vec4s
override OW2: u32; // offsets of W2 and b2 in P, in floats
override OB2: u32;

${activationFunctions(activation)}
${gPrimeOfA(activation)}

${numerics}
${headDz}
${sigmoidLoss}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * WG;
  if (j >= M) { return; }
  var z = P[OB2];
  for (var i = 0u; i < N1; i++) { z += P[OW2 + i] * A1[i * M4 + j]; }
  if (!is_finite(z)) { status[0] = 1u; }
  let y = Y[j];
  let dZ2 = head_dz(sigmoid(z), y);
  E[j] = dZ2;
  let lc = sigmoid_loss(z, y);
  E[M + j] = lc.x;
  E[2u * M + j] = lc.y;
  for (var i = 0u; i < N1; i++) {
    dZ1T[j * N1 + i] = P[OW2 + i] * dZ2 * g_prime_of_a(A1[i * M4 + j]);
  }
}
`;
