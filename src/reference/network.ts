// The float64 reference network, written to be read next to the seed notes
// (style point 10): plain loops that mirror the equations, no cleverness. Every
// GPU kernel is tested against these functions.
//
// Shapes: X is (n0, m), one example per column, row-major (entry (i, j) at
// i * cols + j). W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1), Z[l], A[l], dZ[l] are
// (n_l, m). Layers are numbered l = 1..L as in the notes; index 0 of a per-layer
// array is empty, except A[0] = X.
import { InputError } from '../errors.ts';
import type { Activation, Gradients, Head, Parameters } from '../types.ts';
import { g, gPrime, sigmoid } from './activations.ts';

/**
 * What the layers compute: one activation for every hidden layer or one per hidden
 * layer (hidden[l − 1] for layer l), and the head (default 'sigmoid', the seed's).
 */
export type Net = Activation | { hidden: Activation | Activation[]; head?: Head };

const hiddenOf = (net: Net, l: number): Activation =>
  typeof net === 'string' ? net : Array.isArray(net.hidden) ? net.hidden[l - 1] : net.hidden;
export const headOf = (net: Net): Head => (typeof net === 'string' ? 'sigmoid' : (net.head ?? 'sigmoid'));

/**
 * The weight penalties: L2's (λ/2m)·Σ_l ‖W[l]‖² and, with l1, L1's (λ1/m)·Σ_l |W[l]|, with m
 * the number of examples of the whole training set.
 */
export interface L2 {
  lambda: number;
  m: number;
  l1?: number;
}

export interface ForwardCache {
  /** Z[l] is (n_l, m); Z[0] is empty. */
  Z: Float64Array[];
  /** A[l] is (n_l, m); A[0] = X. */
  A: Float64Array[];
}

/** Training data in the notes' layout: X (n0, m), Y (nL, m). */
export interface ReferenceData {
  X: ArrayLike<number>;
  Y: ArrayLike<number>;
  m: number;
}

export function cloneParameters(p: Parameters): Parameters {
  return {
    sizes: p.sizes.slice(),
    W: p.W.map((Wl) => Float64Array.from(Wl)),
    b: p.b.map((bl) => Float64Array.from(bl)),
  };
}

/**
 * Forward propagation: Z[l] = W[l] A[l−1] + b[l]; A[l] = g_l(Z[l]) for the hidden
 * layers and A[L] = the head's function of Z[L]: σ, softmax over each column, or Z.
 */
export function forward(params: Parameters, activation: Net, X: ArrayLike<number>, m: number): ForwardCache {
  const n = params.sizes;
  const L = n.length - 1;
  if (X.length !== n[0] * m) throw new InputError('X', `length n0 · m = ${n[0] * m}`, X.length);
  const Z: Float64Array[] = [new Float64Array(0)];
  const A: Float64Array[] = [Float64Array.from(X)]; // A[0] = X is (n0, m)
  for (let l = 1; l <= L; l++) {
    const W = params.W[l]; // (n_l, n_{l-1})
    const b = params.b[l]; // (n_l, 1)
    const Aprev = A[l - 1]; // (n_{l-1}, m)
    const Zl = new Float64Array(n[l] * m); // Z[l] is (n_l, m)
    const Al = new Float64Array(n[l] * m); // A[l] is (n_l, m)
    for (let i = 0; i < n[l]; i++) {
      for (let j = 0; j < m; j++) {
        let z = b[i];
        for (let k = 0; k < n[l - 1]; k++) z += W[i * n[l - 1] + k] * Aprev[k * m + j];
        Zl[i * m + j] = z;
        Al[i * m + j] = l < L ? g(hiddenOf(activation, l), z) : headOf(activation) === 'sigmoid' ? sigmoid(z) : z;
      }
    }
    if (l === L && headOf(activation) === 'softmax') softmaxColumns(Zl, Al, n[L], m);
    Z.push(Zl);
    A.push(Al);
  }
  return { Z, A };
}

/** A[:, j] = e^(Z[:, j] − max) / Σ_i e^(Z[i, j] − max): softmax of each column of Z (K, m), into A. */
export function softmaxColumns(Z: Float64Array, A: Float64Array, K: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let max = -Infinity;
    for (let i = 0; i < K; i++) max = Math.max(max, Z[i * m + j]);
    let sum = 0;
    for (let i = 0; i < K; i++) sum += Math.exp(Z[i * m + j] - max);
    for (let i = 0; i < K; i++) A[i * m + j] = Math.exp(Z[i * m + j] - max) / sum;
  }
}

/** The target T with dZ[L] = A[L] − T: Y itself, or for softmax the one-hot columns of the class ids. */
export function targets(Y: ArrayLike<number>, head: Head, rows: number, m: number): Float64Array {
  if (head !== 'softmax') return Float64Array.from(Y);
  const T = new Float64Array(rows * m); // (K, m)
  for (let j = 0; j < m; j++) T[Y[j] * m + j] = 1;
  return T;
}

/**
 * The cost from the logits Z[L] (n_L, m), each written so that it stays finite
 * where a float32 output would round to exactly 0 or 1:
 * - sigmoid: −(1/m) Σ [y log a + (1−y) log(1−a)], a = σ(z), over every entry, as
 *   (1/m) Σ [max(z, 0) − z·y + log(1 + e^−|z|)];
 * - softmax: −(1/m) Σ_j log a[y_j, j] = (1/m) Σ_j [log Σ_i e^(z_ij) − z_(y_j) j], log-sum-exp from the max;
 * - linear:  (1/2m) Σ (z − y)².
 */
export function cost(ZL: ArrayLike<number>, Y: ArrayLike<number>, m: number, head: Head = 'sigmoid'): number {
  const rows = ZL.length / m;
  const yRows = head === 'softmax' ? 1 : rows;
  if (Y.length !== yRows * m) throw new InputError('Y', `length ${yRows * m} (${yRows} rows of m = ${m})`, Y.length);
  let sum = 0;
  if (head === 'softmax') {
    for (let j = 0; j < m; j++) {
      let max = -Infinity;
      for (let i = 0; i < rows; i++) max = Math.max(max, ZL[i * m + j]);
      let s = 0;
      for (let i = 0; i < rows; i++) s += Math.exp(ZL[i * m + j] - max);
      sum += max + Math.log(s) - ZL[Y[j] * m + j];
    }
    return sum / m;
  }
  for (let i = 0; i < ZL.length; i++) {
    const z = ZL[i];
    const y = Y[i];
    sum += head === 'linear' ? 0.5 * (z - y) ** 2 : Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return sum / m;
}

/** (λ/2m)·Σ_l ‖W[l]‖² + (λ1/m)·Σ_l |W[l]|: weights only, not biases. */
export function l2Cost(params: Parameters, l2: L2 | undefined): number {
  if (!l2 || (l2.lambda === 0 && !l2.l1)) return 0;
  let squares = 0;
  let absolute = 0;
  for (let l = 1; l < params.sizes.length; l++) {
    for (const w of params.W[l]) {
      squares += w * w;
      absolute += Math.abs(w);
    }
  }
  return (l2.lambda / (2 * l2.m)) * squares + ((l2.l1 ?? 0) / l2.m) * absolute;
}

/**
 * Classification accuracy: sigmoid, the fraction of outputs where (a > 0.5) equals
 * the label; softmax, the fraction of examples whose largest output (first on ties)
 * is their class. NaN for the linear head.
 */
export function accuracy(AL: ArrayLike<number>, Y: ArrayLike<number>, head: Head = 'sigmoid', m = Y.length): number {
  if (head === 'linear') return NaN;
  if (head === 'softmax') {
    const K = AL.length / m;
    let correct = 0;
    for (let j = 0; j < m; j++) {
      let best = 0;
      for (let i = 1; i < K; i++) if (AL[i * m + j] > AL[best * m + j]) best = i;
      if (best === Y[j]) correct++;
    }
    return correct / m;
  }
  if (AL.length !== Y.length) throw new InputError('Y', `length ${AL.length} (as A[L])`, Y.length);
  let correct = 0;
  for (let i = 0; i < AL.length; i++) if (AL[i] > 0.5 === (Y[i] === 1)) correct++;
  return correct / AL.length;
}

/** Regression metrics of outputs A (rows, m) against Y: RMSE over every entry, and R² = 1 − SSE/SST (SST about each row's mean). */
export function regressionMetrics(A: ArrayLike<number>, Y: ArrayLike<number>, m: number): { rmse: number; r2: number } {
  const rows = Y.length / m;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let j = 0; j < m; j++) mean += Y[i * m + j] / m;
    for (let j = 0; j < m; j++) {
      sse += (A[i * m + j] - Y[i * m + j]) ** 2;
      sst += (Y[i * m + j] - mean) ** 2;
    }
  }
  return { rmse: Math.sqrt(sse / Y.length), r2: 1 - sse / sst };
}

/**
 * Backward propagation, equations (1)–(6) of the notes for any depth:
 *   dZ[L]   = A[L] − T        (each head with its own cost; T = Y, or one-hot Y for softmax)
 *   dW[l]   = (1/m) dZ[l] A[l−1]ᵀ  (+ (λ/m_all) W[l] with L2)
 *   db[l]   = (1/m) Σ_j dZ[l][:, j]
 *   dZ[l−1] = (W[l]ᵀ dZ[l]) ⊙ g'(Z[l−1])        (ERRATA: g', not g)
 */
export function backward(
  params: Parameters,
  activation: Net,
  cache: ForwardCache,
  Y: ArrayLike<number>,
  m: number,
  l2?: L2,
): Gradients {
  const n = params.sizes;
  const L = n.length - 1;
  const { Z, A } = cache;
  const dZ: Float64Array[] = new Array(L + 1);
  const dW: Float64Array[] = new Array(L + 1);
  const db: Float64Array[] = new Array(L + 1);
  dZ[0] = dW[0] = db[0] = new Float64Array(0);

  // dZ[L] is (n_L, m)
  dZ[L] = new Float64Array(n[L] * m);
  const T = targets(Y, headOf(activation), n[L], m);
  for (let i = 0; i < n[L] * m; i++) dZ[L][i] = A[L][i] - T[i];

  for (let l = L; l >= 1; l--) {
    // dW[l] is (n_l, n_{l-1})
    dW[l] = new Float64Array(n[l] * n[l - 1]);
    for (let i = 0; i < n[l]; i++) {
      for (let k = 0; k < n[l - 1]; k++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += dZ[l][i * m + j] * A[l - 1][k * m + j];
        const w = params.W[l][i * n[l - 1] + k];
        dW[l][i * n[l - 1] + k] = s / m + (l2 ? (l2.lambda / l2.m) * w + ((l2.l1 ?? 0) / l2.m) * Math.sign(w) : 0);
      }
    }
    // db[l] is (n_l, 1)
    db[l] = new Float64Array(n[l]);
    for (let i = 0; i < n[l]; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += dZ[l][i * m + j];
      db[l][i] = s / m;
    }
    if (l === 1) break; // dZ[0] would be the gradient w.r.t. X: not needed
    // dZ[l-1] is (n_{l-1}, m)
    dZ[l - 1] = new Float64Array(n[l - 1] * m);
    for (let k = 0; k < n[l - 1]; k++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n[l]; i++) s += params.W[l][i * n[l - 1] + k] * dZ[l][i * m + j];
        dZ[l - 1][k * m + j] = s * gPrime(hiddenOf(activation, l - 1), Z[l - 1][k * m + j]);
      }
    }
  }
  return { dZ, dW, db };
}

/** One gradient-descent update, W[l] − α dW[l] and b[l] − α db[l] (ERRATA: the gradient). */
export function update(params: Parameters, grads: Gradients, learningRate: number): Parameters {
  const next = cloneParameters(params);
  for (let l = 1; l < params.sizes.length; l++) {
    for (let i = 0; i < next.W[l].length; i++) next.W[l][i] -= learningRate * grads.dW[l][i];
    for (let i = 0; i < next.b[l].length; i++) next.b[l][i] -= learningRate * grads.db[l][i];
  }
  return next;
}

/** Forward, cost, backward, update. The cost is that of the parameters before the update. */
export function gradientStep(
  params: Parameters,
  activation: Net,
  data: ReferenceData,
  learningRate: number,
): { params: Parameters; cost: number; grads: Gradients } {
  const L = params.sizes.length - 1;
  const cache = forward(params, activation, data.X, data.m);
  const J = cost(cache.Z[L], data.Y, data.m, headOf(activation));
  const grads = backward(params, activation, cache, data.Y, data.m);
  return { params: update(params, grads, learningRate), cost: J, grads };
}

/**
 * `steps` gradient-descent steps. history[k] = { step, cost } is the cost of the
 * parameters after `step` updates: step 0, every logEvery-th step, and the final
 * step (its cost computed on the final parameters).
 */
export function trainReference(
  params: Parameters,
  activation: Net,
  data: ReferenceData,
  steps: number,
  learningRate: number,
  logEvery = 1000,
): { params: Parameters; history: { step: number; cost: number }[] } {
  const L = params.sizes.length - 1;
  const history: { step: number; cost: number }[] = [];
  let p = params;
  for (let step = 0; step < steps; step++) {
    const result = gradientStep(p, activation, data, learningRate);
    if (step % logEvery === 0) history.push({ step, cost: result.cost });
    p = result.params;
  }
  const final = forward(p, activation, data.X, data.m);
  history.push({ step: steps, cost: cost(final.Z[L], data.Y, data.m, headOf(activation)) });
  return { params: p, history };
}

/**
 * ∂J/∂W[l] and ∂J/∂b[l] by central differences, (J(θ + ε) − J(θ − ε)) / 2ε, one
 * entry at a time. Slow and exact up to O(ε²): the check that backward is right.
 */
export function numericalGradients(
  params: Parameters,
  activation: Net,
  data: ReferenceData,
  eps = 1e-6,
  l2?: L2,
): { dW: Float64Array[]; db: Float64Array[] } {
  const L = params.sizes.length - 1;
  const p = cloneParameters(params);
  const J = (): number => cost(forward(p, activation, data.X, data.m).Z[L], data.Y, data.m, headOf(activation)) + l2Cost(p, l2);
  const centralDifference = (values: Float64Array): Float64Array => {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const saved = values[i];
      values[i] = saved + eps;
      const plus = J();
      values[i] = saved - eps;
      const minus = J();
      values[i] = saved;
      out[i] = (plus - minus) / (2 * eps);
    }
    return out;
  };
  const dW: Float64Array[] = [new Float64Array(0)];
  const db: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    dW.push(centralDifference(p.W[l]));
    db.push(centralDifference(p.b[l]));
  }
  return { dW, db };
}
