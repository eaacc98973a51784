// g'(z) written in terms of a = g(z), for the fused and tiled kernels, which keep
// A1 and not Z1:  tanh: 1 − a²;  σ: a(1 − a);  ReLU: 1 where a > 0 (⇔ z > 0);
// leaky ReLU: 1 where a > 0, else the slope. Same values as g_prime(z) in
// activations.wgsl.ts, where a is computed by the same g.
import { wgsl } from 'wgsl-preprocessor';
import { LEAKY_RELU_SLOPE, type Activation } from '../src/types.ts';

export const gPrimeOfA = (activation: Activation): string => wgsl`
fn g_prime_of_a(a: f32) -> f32 {
#if ${activation === 'tanh'}
  return 1.0 - a * a;
#elif ${activation === 'relu'}
  return select(0.0, 1.0, a > 0.0);
#elif ${activation === 'leaky-relu'}
  return select(${LEAKY_RELU_SLOPE}, 1.0, a > 0.0);
#else
  return a * (1.0 - a);
#endif
}
`;
