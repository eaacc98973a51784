// The float64 reference for what the general trainer adds on top of the notes'
// gradient step: the update rules (momentum, Adam), L2 regularization and
// mini-batches in the seeded per-epoch order of src/training/shuffle.ts. Plain
// loops, one per equation; the GPU trainer is tested against trainGeneral.
import type { Optimizer, OptimizerState, Parameters } from '../types.ts';
import { batchExamples } from '../training/shuffle.ts';
import { backward, cloneParameters, cost, forward, headOf, l2Cost, type Net, type ReferenceData } from './network.ts';

const zerosLike = (p: Parameters): Parameters => ({
  sizes: p.sizes.slice(),
  W: p.W.map((w) => new Float64Array(w.length)),
  b: p.b.map((b) => new Float64Array(b.length)),
});

/** The optimizer's starting state: v = s = 0, t = 0. */
export function initialState(params: Parameters, optimizer: Optimizer): OptimizerState {
  if (optimizer.kind === 'sgd') return { t: 0 };
  if (optimizer.kind === 'momentum') return { t: 0, v: zerosLike(params) };
  return { t: 0, v: zerosLike(params), s: zerosLike(params) };
}

/**
 * One update of every W[l] and b[l] from their gradients (the rules of types.ts):
 *   sgd:      p ← p − α·dp
 *   momentum: v ← β1·v + (1 − β1)·dp;  p ← p − α·v
 *   adam:     v ← β1·v + (1 − β1)·dp;  s ← β2·s + (1 − β2)·dp²;  t ← t + 1
 *             p ← p − α·(v / (1 − β1^t)) / (√(s / (1 − β2^t)) + ε)
 */
export function optimizerStep(
  params: Parameters,
  grads: { dW: Float64Array[]; db: Float64Array[] },
  optimizer: Optimizer,
  state: OptimizerState,
  learningRate: number,
): { params: Parameters; state: OptimizerState } {
  const p = cloneParameters(params);
  const v = state.v && cloneParameters(state.v);
  const s = state.s && cloneParameters(state.s);
  const t = state.t + 1;
  // Adam's own count: from where this optimizer's state began.
  const own = t - (state.start ?? 0);
  const { beta1, beta2, epsilon } = optimizer;
  const apply = (P: Float64Array, dP: Float64Array, V?: Float64Array, S?: Float64Array) => {
    for (let i = 0; i < P.length; i++) {
      if (optimizer.kind === 'sgd') {
        P[i] -= learningRate * dP[i];
      } else if (optimizer.kind === 'momentum') {
        V![i] = beta1 * V![i] + (1 - beta1) * dP[i];
        P[i] -= learningRate * V![i];
      } else {
        V![i] = beta1 * V![i] + (1 - beta1) * dP[i];
        S![i] = beta2 * S![i] + (1 - beta2) * dP[i] * dP[i];
        const vHat = V![i] / (1 - beta1 ** own);
        const sHat = S![i] / (1 - beta2 ** own);
        P[i] -= (learningRate * vHat) / (Math.sqrt(sHat) + epsilon);
      }
    }
  };
  for (let l = 1; l < p.sizes.length; l++) {
    apply(p.W[l], grads.dW[l], v?.W[l], s?.W[l]);
    apply(p.b[l], grads.db[l], v?.b[l], s?.b[l]);
  }
  return { params: p, state: { t, ...(state.start ? { start: state.start } : {}), v, s } };
}

export interface GeneralRun {
  net: Net;
  learningRate: number;
  optimizer: Optimizer;
  /** λ of (λ/2m)·Σ‖W‖², m the whole training set's (default 0). */
  l2?: number;
  /** λ1 of (λ1/m)·Σ|W| (default 0). */
  l1?: number;
  /** Examples per step (default: all m, the seed's full batch). */
  batchSize?: number;
  /** Seed of the per-epoch order of examples. */
  seed?: number;
}

/** The columns `cols` of a (rows, m) matrix, as a (rows, cols.length) matrix. */
export function gatherColumns(M: ArrayLike<number>, rows: number, m: number, cols: number[]): Float64Array {
  const out = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) cols.forEach((c, j) => (out[i * cols.length + j] = M[i * m + c]));
  return out;
}

/** Step t's batch of `data`: all of it for a full batch, else the examples batchExamples names, in that order. */
export function batchOf(data: ReferenceData & { n0: number }, yRows: number, t: number, batchSize: number, seed: number): ReferenceData {
  if (batchSize >= data.m) return data;
  const cols = batchExamples(t, data.m, batchSize, seed);
  return { X: gatherColumns(data.X, data.n0, data.m, cols), Y: gatherColumns(data.Y, yRows, data.m, cols), m: cols.length };
}

/**
 * `steps` updates from (params, state). costs[k] is J (with the L2 term) of the
 * parameters before update k on update k's batch, as the GPU trainer logs it.
 */
export function trainGeneral(
  params: Parameters,
  data: ReferenceData & { n0: number },
  steps: number,
  run: GeneralRun,
  start: OptimizerState = initialState(params, run.optimizer),
): { params: Parameters; state: OptimizerState; costs: number[] } {
  const L = params.sizes.length - 1;
  const head = headOf(run.net);
  const yRows = head === 'softmax' ? 1 : params.sizes[L];
  const l2 = run.l2 || run.l1 ? { lambda: run.l2 ?? 0, m: data.m, l1: run.l1 ?? 0 } : undefined;
  let p = params;
  let state = start;
  const costs: number[] = [];
  for (let k = 0; k < steps; k++) {
    const batch = batchOf(data, yRows, state.t, run.batchSize ?? data.m, run.seed ?? 1);
    const cache = forward(p, run.net, batch.X, batch.m);
    costs.push(cost(cache.Z[L], batch.Y, batch.m, head) + l2Cost(p, l2));
    const grads = backward(p, run.net, cache, batch.Y, batch.m, l2);
    ({ params: p, state } = optimizerStep(p, grads, run.optimizer, state, run.learningRate));
  }
  return { params: p, state, costs };
}
