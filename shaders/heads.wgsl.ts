// The output heads, each the canonical pair of output function and cost, so that
// dZ[L] = A[L] − T for all three (T is Y, or the one-hot columns of the class ids).
// One owner for each head's math: the kernels a_minus_y, cost and the small step include
// these functions and define how they read the logits and labels: z_at(i, j) and
// y_at(i, j), output i of example j (y_at(0, j) is the class id for softmax).
//   sigmoid: A = σ(Z); loss max(z,0) − z·y + log(1 + e^−|z|) per output; correct (z > 0) == (y == 1)
//   softmax: A = softmax(Z[:, j]); loss log Σ_i e^(z_i) − z_y, from the max; correct argmax == y
//   linear:  A = Z; loss (z − y)²/2; the metric slot holds (z − y)² for the RMSE
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Head } from '../src/types.ts';

/**
 * dZ = A − T at one output: each head's output function and cost are a canonical
 * pair, so this is the cost's gradient in z for all three. Every kernel that forms
 * dZ[L] calls it (a_minus_y, and the seed's fused, lanes and tiled kernels).
 */
export const headDz = /* wgsl */ `
fn head_dz(a: f32, t: f32) -> f32 {
  return a - t;
}
`;

/**
 * The sigmoid head at one output z with label y: [loss, correct], the loss
 * max(z,0) − z·y + log(1 + e^−|z|) from the logit (finite when σ saturates). Needs
 * log1p_small (numerics). The cost kernel and the seed's fast kernels call it.
 */
export const sigmoidLoss = /* wgsl */ `
fn sigmoid_loss(z: f32, y: f32) -> vec2f {
  return vec2f(max(z, 0.0) - z * y + log1p_small(exp(-abs(z))), select(0.0, 1.0, (z > 0.0) == (y > 0.5)));
}
`;

/** T[i, j] = target_of(i, j), the target of output i for example j: needs `y_at`. */
export const headTarget = (head: Head): string => wgsl`
fn target_of(i: u32, j: u32) -> f32 {
#if ${head === 'softmax'}
  return select(0.0, 1.0, u32(y_at(0u, j)) == i);
#else
  return y_at(i, j);
#endif
}
`;

/**
 * Example j's loss, summed over its K outputs, and its metric: correct outputs
 * (sigmoid), 1 when correct (softmax), the squared error (linear). Needs `z_at`,
 * `y_at` and log1p_small from numerics; brings sigmoid_loss.
 */
export const headColumnCost = (head: Head): string => wgsl`
${head === 'sigmoid' ? sigmoidLoss : ''}
fn column_cost(j: u32, K: u32) -> vec2f {
#if ${head === 'softmax'}
  var best = 0u;
  var zmax = z_at(0u, j);
  for (var i = 1u; i < K; i++) {
    let z = z_at(i, j);
    if (z > zmax) { zmax = z; best = i; }
  }
  var sum = 0.0;
  for (var i = 0u; i < K; i++) { sum += exp(z_at(i, j) - zmax); }
  let y = u32(y_at(0u, j));
  return vec2f(zmax + log(sum) - z_at(y, j), select(0.0, 1.0, best == y));
#else
  var loss = 0.0;
  var metric = 0.0;
  for (var i = 0u; i < K; i++) {
    let z = z_at(i, j);
    let y = y_at(i, j);
#if ${head === 'linear'}
    let d = z - y;
    loss += 0.5 * d * d;
    metric += d * d;
#else
    let lc = sigmoid_loss(z, y);
    loss += lc.x;
    metric += lc.y;
#endif
  }
  return vec2f(loss, metric);
#endif
}
`;
