// g'(z) written in terms of a = g(z), for the fused and tiled kernels, which keep
// A1 and not Z1:  tanh: 1 − a²;  σ: a(1 − a);  ReLU: 1 where a > 0 (⇔ z > 0);
// leaky ReLU: 1 where a > 0, else the slope; linear: 1. Same values as g_prime(z) in
// activations.wgsl.ts, where a is computed by the same g. `T = 'vec4f'` gives
// g_prime_of_a4 over vec4s of hidden units.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { LEAKY_RELU_SLOPE, type Activation } from '../src/types.ts';
import type { ShaderFloat } from './activations.wgsl.ts';

export const gPrimeOfA = (activation: Activation, T: ShaderFloat = 'f32'): string => wgsl`
fn g_prime_of_a${T === 'f32' ? '' : '4'}(a: ${T}) -> ${T} {
#if ${activation === 'tanh'}
  return 1.0 - a * a;
#elif ${activation === 'relu'}
  return select(${T}(0.0), ${T}(1.0), a > ${T}(0.0));
#elif ${activation === 'leaky-relu'}
  return select(${T}(${LEAKY_RELU_SLOPE}), ${T}(1.0), a > ${T}(0.0));
#elif ${activation === 'linear'}
  return ${T}(1.0);
#else
  return a * (1.0 - a);
#endif
}
`;
