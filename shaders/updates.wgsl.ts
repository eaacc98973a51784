// The update rules, one owner each (types.ts states them). The optimizer's state
// lives in the parameter buffer after the parameters, laid out like them: P[i] is
// a parameter, P[n + i] its v (momentum, Adam), P[2n + i] its s (Adam), n = dims.rows.
// Needs `dims` (rows = n, scale = α, beta1, beta2, epsilon), `P`, `dP`, and for
// Adam `clock` (clock[0]: updates taken so far; clock[1]: the update count at which
// this optimizer's state began; this update is Adam's t = clock[0] − clock[1] + 1).
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { OptimizerKind } from '../src/types.ts';

/**
 * One step of size α along a direction: W ← W − α·d. Plain gradient descent is this
 * with d = dW (the seed's fused, lanes and tiled kernels call it too), momentum with v.
 */
export const descend = /* wgsl */ `
fn descend(p: f32, alpha: f32, d: f32) -> f32 {
  return p - alpha * d;
}
`;

export const updateRule = (kind: OptimizerKind): string => wgsl`
${descend}
// Adam's bias corrections of this update, (1 − β1^t, 1 − β2^t): the same for every parameter.
fn corrections() -> vec2f {
#if ${kind === 'adam'}
  let t = f32(clock[0] - clock[1] + 1u);
  // β^t; pow(0, t) is left to the implementation, and β = 0 means no average.
  let c1 = 1.0 - select(pow(dims.beta1, t), 0.0, dims.beta1 == 0.0);
  let c2 = 1.0 - select(pow(dims.beta2, t), 0.0, dims.beta2 == 0.0);
  return vec2f(c1, c2);
#else
  return vec2f(1.0, 1.0);
#endif
}

// Returns parameter i after the update, and updates its state; c = corrections().
fn updated_by(i: u32, c: vec2f) -> f32 {
  let alpha = dims.scale;
#if ${kind === 'sgd'}
  return descend(P[i], alpha, dP[i]);
#elif ${kind === 'momentum'}
  let v = dims.beta1 * P[dims.rows + i] + (1.0 - dims.beta1) * dP[i];
  P[dims.rows + i] = v;
  return descend(P[i], alpha, v);
#else
  let g = dP[i];
  let v = dims.beta1 * P[dims.rows + i] + (1.0 - dims.beta1) * g;
  let s = dims.beta2 * P[2u * dims.rows + i] + (1.0 - dims.beta2) * g * g;
  P[dims.rows + i] = v;
  P[2u * dims.rows + i] = s;
  return descend(P[i], alpha, (v / c.x) / (sqrt(s / c.y) + dims.epsilon));
#endif
}

fn updated(i: u32) -> f32 {
  return updated_by(i, corrections());
}
`;
