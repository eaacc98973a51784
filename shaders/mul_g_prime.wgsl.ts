// The elementwise g' product of backpropagation, equation (4) as corrected in ERRATA:
//   dZ = dA ⊙ g'(Z)           dA = Wᵀ·dZ_next, Z and dZ all (rows, cols)
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Activation } from '../src/types.ts';
import { activationFunctions } from './activations.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const mulGPrime = (activation: Activation): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dA: array<f32>;
@group(0) @binding(2) var<storage, read> Z: array<f32>;
@group(0) @binding(3) var<storage, read_write> dZ: array<f32>;

${WORKGROUP}

${activationFunctions(activation)}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  dZ[idx] = dA[idx] * g_prime(Z[idx]);
}
`;
