// Float64 activations g and their derivatives g' for the reference network.
import { LEAKY_RELU_SLOPE, type Activation } from '../types.ts';

/**
 * σ(z) = 1 / (1 + e^−z). For z < 0 it is computed as e^z / (1 + e^z) so that e^−z
 * never overflows; both forms are exact rewrites of each other.
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The hidden-layer activation g(z). */
export function g(activation: Activation, z: number): number {
  switch (activation) {
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky-relu':
      return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    case 'sigmoid':
      return sigmoid(z);
    case 'linear':
      return z;
  }
}

/**
 * g'(z), the factor in dZ[l−1] = (W[l]ᵀ dZ[l]) ⊙ g'(Z[l−1]) (ERRATA: the
 * derivative, not g). At the ReLU kink z = 0 we take the left derivative (0, or
 * the slope for leaky ReLU); the GPU kernels use the same convention.
 */
export function gPrime(activation: Activation, z: number): number {
  switch (activation) {
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'leaky-relu':
      return z > 0 ? 1 : LEAKY_RELU_SLOPE;
    case 'sigmoid': {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    case 'linear':
      return 1;
  }
}
