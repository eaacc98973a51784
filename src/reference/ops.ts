// Float64 references of the individual kernels, one function per WGSL file,
// as plain loops. The whole-network reference is network.ts; these let each
// kernel be tested on its own, at any shape.
import type { Activation, Head, Optimizer } from '../types.ts';
import { accuracy, cost, regressionMetrics, softmaxColumns as softmaxInto, targets } from './network.ts';
import { g, gPrime, sigmoid } from './activations.ts';

type Vec = ArrayLike<number>;

/** forward_layer: Z = W·A_prev + b, A = g(Z). W (rows, inner), A_prev (inner, cols). */
export function forwardLayer(g_: Activation, W: Vec, b: Vec, A_prev: Vec, rows: number, inner: number, cols: number) {
  const Z = new Float64Array(rows * cols);
  const A = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let z = b[i];
      for (let k = 0; k < inner; k++) z += W[i * inner + k] * A_prev[k * cols + j];
      Z[i * cols + j] = z;
      A[i * cols + j] = g_ === 'sigmoid' ? sigmoid(z) : g(g_, z);
    }
  return { Z, A };
}

/** a_minus_y: dZ = A − T, T = Y or (softmax) the one-hot columns of Y's class ids. A (rows, m). */
export function aMinusY(A: Vec, Y: Vec, head: Head = 'sigmoid', rows = 1, m = A.length): Float64Array {
  const T = targets(Y, head, rows, m);
  return Float64Array.from(A, (a, i) => a - T[i]);
}

/** softmax_columns: A[:, j] = softmax(Z[:, j]). Z (rows, m). */
export function softmaxColumns(Z: Vec, rows: number, m: number): Float64Array {
  const A = new Float64Array(rows * m);
  softmaxInto(Float64Array.from(Z), A, rows, m);
  return A;
}

/** cost(head): [J, metric] from logits Z (rows, m): accuracy, or for linear the mean squared error. */
export function costAndMetric(Z: Vec, Y: Vec, head: Head, rows: number, m: number): [number, number] {
  const J = cost(Z, Y, m, head);
  if (head === 'linear') return [J, regressionMetrics(Z, Y, m).rmse ** 2];
  const A = head === 'softmax' ? softmaxColumns(Z, rows, m) : Z.length === 0 ? [] : Float64Array.from(Z, (z) => (z > 0 ? 1 : 0));
  return [J, accuracy(A, Y, head, m)];
}

/**
 * update(kind) on flat arrays: the rule of types.ts for each entry, state = [v, s]
 * (as many as the optimizer keeps), t the update's number (1, 2, …).
 */
export function updateRule(opt: Optimizer, P: Vec, dP: Vec, state: Vec[], alpha: number, t: number): { P: Float64Array; state: Float64Array[] } {
  const p = Float64Array.from(P);
  const st = state.map((s) => Float64Array.from(s));
  for (let i = 0; i < p.length; i++) {
    if (opt.kind === 'sgd') p[i] -= alpha * dP[i];
    else if (opt.kind === 'momentum') {
      st[0][i] = opt.beta1 * st[0][i] + (1 - opt.beta1) * dP[i];
      p[i] -= alpha * st[0][i];
    } else {
      st[0][i] = opt.beta1 * st[0][i] + (1 - opt.beta1) * dP[i];
      st[1][i] = opt.beta2 * st[1][i] + (1 - opt.beta2) * dP[i] * dP[i];
      p[i] -= (alpha * st[0][i]) / (1 - opt.beta1 ** t) / (Math.sqrt(st[1][i] / (1 - opt.beta2 ** t)) + opt.epsilon);
    }
  }
  return { P: p, state: st };
}

/** penalty_gradient: dP + mask ⊙ (l2·P + l1·sign(P)). */
export const penaltyGradient = (P: Vec, mask: Vec, dP: Vec, f: { l2: number; l1: number }): Float64Array =>
  Float64Array.from(dP, (d, i) => d + mask[i] * (f.l2 * P[i] + f.l1 * Math.sign(P[i])));

/** penalty_cost: Σ mask ⊙ (l2·P² + l1·|P|). */
export function penaltyCostSum(P: Vec, mask: Vec, f: { l2: number; l1: number }): number {
  let s = 0;
  for (let i = 0; i < P.length; i++) s += mask[i] * (f.l2 * P[i] * P[i] + f.l1 * Math.abs(P[i]));
  return s;
}

/** gather_columns: out[i, j] = src[i, index[j]]. src (rows, m). */
export function gatherColumns(src: Vec, rows: number, m: number, index: number[]): Float64Array {
  const out = new Float64Array(rows * index.length);
  for (let i = 0; i < rows; i++) index.forEach((c, j) => (out[i * index.length + j] = src[i * m + c]));
  return out;
}

/** matmul_abt_scaled: dW = (1/m)·dZ·A_prevᵀ. dZ (rows, m), A_prev (cols, m). */
export function matmulAbtScaled(dZ: Vec, A_prev: Vec, rows: number, cols: number, m: number): Float64Array {
  const dW = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let k = 0; k < cols; k++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += dZ[i * m + j] * A_prev[k * m + j];
      dW[i * cols + k] = sum / m;
    }
  return dW;
}

/** matmul_atb: dA_prev = Wᵀ·dZ. W (inner, rows), dZ (inner, cols). */
export function matmulAtb(W: Vec, dZ: Vec, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += W[k * rows + i] * dZ[k * cols + j];
      out[i * cols + j] = sum;
    }
  return out;
}

/** mul_g_prime: dZ = dA ⊙ g'(Z). */
export const mulGPrime = (g_: Activation, dA: Vec, Z: Vec): Float64Array =>
  Float64Array.from(dA, (d, i) => d * gPrime(g_, Z[i]));

/** sum_rows: db = (1/m)·Σ_j dZ[:, j]. dZ (rows, m). */
export function sumRows(dZ: Vec, rows: number, m: number): Float64Array {
  const db = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += dZ[i * m + j];
    db[i] = sum / m;
  }
  return db;
}

/** cost: [J, accuracy] from logits Z and labels Y, (rows, m). */
export function costAndAccuracy(Z: Vec, Y: Vec, m: number): [number, number] {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < Z.length; i++) {
    const z = Z[i];
    loss += Math.max(z, 0) - z * Y[i] + Math.log1p(Math.exp(-Math.abs(z)));
    if (z > 0 === Y[i] > 0.5) correct++;
  }
  return [loss / m, correct / Z.length];
}

/** sgd_update: P ← P − α·dP. */
export const sgdUpdate = (P: Vec, dP: Vec, alpha: number): Float64Array =>
  Float64Array.from(P, (p, i) => p - alpha * dP[i]);
