// Float64 references of the individual kernels, one function per WGSL file,
// as plain loops. The whole-network reference is network.ts; these let each
// kernel be tested on its own, at any shape.
import type { Activation } from '../types.ts';
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

/** a_minus_y: dZ = A − Y. */
export const aMinusY = (A: Vec, Y: Vec): Float64Array => Float64Array.from(A, (a, i) => a - Y[i]);

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
