// g(z) and g'(z) for the hidden layers, and the numerically stable sigmoid used
// by the output layer. Included by forward_layer and mul_g_prime, and, over
// vec4s of hidden units, by fused_step_lanes (`T = 'vec4f'`, names suffixed 4).
//
// WGSL lets implementations assume finite math and does not promise tanh or exp
// for large |z| (PITFALLS.md), so inputs are clamped where the result is already
// exactly ±1 or 0 in float32 and exp only ever sees non-positive arguments.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { LEAKY_RELU_SLOPE, type Activation } from '../src/types.ts';

export type ShaderFloat = 'f32' | 'vec4f';

/** A hidden activation ('linear': g(z) = z, as TensorFlow Playground's), or 'identity' for the output layer of the linear and softmax heads. */
export type LayerFunction = Activation | 'identity';

/** The helpers every activation function uses (σ, tanh, the leaky slope), once per kernel and float type. */
export const activationHelpers = (T: ShaderFloat = 'f32'): string => {
  const s = T === 'f32' ? '' : '4';
  return wgsl`
const LEAKY_SLOPE${s}: f32 = ${LEAKY_RELU_SLOPE};

// σ(z) = 1 / (1 + e^(−z)), written so that exp never overflows.
fn sigmoid${s}(z: ${T}) -> ${T} {
  let e = exp(-abs(z));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), z >= ${T}(0.0));
}

// tanh(z) = sign(z)·(1 − e)/(1 + e) with e = e^(−2|z|) ≤ 1 (no overflow), and its
// Taylor series z − z³/3 + 2z⁵/15 − 17z⁷/315 where |z| < 1/8 (1 − e would lose digits
// there). Faster than the builtin on SwiftShader (docs/PERFORMANCE.md), which was off
// by up to 190 % near 0; this one is within 8e-7 relative,
// 1.3e-7 absolute, of tanh over all float32 (the sweep test in e2e/kernels.spec.ts measures it).
fn tanh_of${s}(z: ${T}) -> ${T} {
  let t = abs(z);
  let e = exp(-2.0 * t);
  let r = (1.0 - e) / (1.0 + e);
  let z2 = z * z;
  let p = z * (1.0 + z2 * (-0.33333333 + z2 * (0.13333333 - z2 * 0.053968254)));
  return select(select(-r, r, z >= ${T}(0.0)), p, t < ${T}(0.125));
}
`;
};

/**
 * g(z) and g'(z) of one activation, named name and name_prime (suffixed 4 over
 * vec4s): a kernel with several activations (the small step) includes one pair per
 * activation after activationHelpers.
 */
export const activationPair = (activation: LayerFunction, T: ShaderFloat = 'f32', name = 'g'): string => {
  const s = T === 'f32' ? '' : '4';
  return wgsl`
fn ${name}${s}(z: ${T}) -> ${T} {
#if ${activation === 'tanh'}
  return tanh_of${s}(z);
#elif ${activation === 'relu'}
  return max(z, ${T}(0.0));
#elif ${activation === 'leaky-relu'}
  return select(LEAKY_SLOPE${s} * z, z, z > ${T}(0.0));
#elif ${activation === 'identity' || activation === 'linear'}
  return z;
#else
  return sigmoid${s}(z);
#endif
}

fn ${name}_prime${s}(z: ${T}) -> ${T} {
#if ${activation === 'tanh'}
  let a = ${name}${s}(z);
  return 1.0 - a * a;
#elif ${activation === 'relu'}
  return select(${T}(0.0), ${T}(1.0), z > ${T}(0.0));
#elif ${activation === 'leaky-relu'}
  return select(${T}(LEAKY_SLOPE${s}), ${T}(1.0), z > ${T}(0.0));
#elif ${activation === 'identity' || activation === 'linear'}
  return ${T}(1.0);
#else
  let s = sigmoid${s}(z);
  return s * (1.0 - s);
#endif
}
`;
};

/** The helpers and the pair g, g_prime of one activation: what a one-activation kernel includes. */
export const activationFunctions = (activation: LayerFunction, T: ShaderFloat = 'f32'): string => activationHelpers(T) + activationPair(activation, T);
