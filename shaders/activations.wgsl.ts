// g(z) and g'(z) for the hidden layers, and the numerically stable sigmoid used
// by the output layer. Included by forward_layer and mul_g_prime.
//
// WGSL lets implementations assume finite math and does not promise tanh or exp
// for large |z| (PITFALLS.md), so inputs are clamped where the result is already
// exactly ±1 or 0 in float32 and exp only ever sees non-positive arguments.
import { wgsl } from 'wgsl-preprocessor';
import { LEAKY_RELU_SLOPE, type Activation } from '../src/types.ts';

export const activationFunctions = (activation: Activation): string => wgsl`
const LEAKY_SLOPE: f32 = ${LEAKY_RELU_SLOPE};

// σ(z) = 1 / (1 + e^(−z)), written so that exp never overflows.
fn sigmoid(z: f32) -> f32 {
  let e = exp(-abs(z));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
}

fn g(z: f32) -> f32 {
#if ${activation === 'tanh'}
  // tanh(±15) is ±1 in float32.
  return tanh(clamp(z, -15.0, 15.0));
#elif ${activation === 'relu'}
  return max(z, 0.0);
#elif ${activation === 'leaky-relu'}
  return select(LEAKY_SLOPE * z, z, z > 0.0);
#else
  return sigmoid(z);
#endif
}

fn g_prime(z: f32) -> f32 {
#if ${activation === 'tanh'}
  let a = g(z);
  return 1.0 - a * a;
#elif ${activation === 'relu'}
  return select(0.0, 1.0, z > 0.0);
#elif ${activation === 'leaky-relu'}
  return select(LEAKY_SLOPE, 1.0, z > 0.0);
#else
  let s = sigmoid(z);
  return s * (1.0 - s);
#endif
}
`;
