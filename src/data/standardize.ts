// Features on their own scales (a tabular CSV with one column in the thousands and
// another below 1) leave a network with one learning rate stuck: each feature is
// moved to mean 0 and standard deviation 1 with the training set's statistics, and
// the same shift and scale are applied to every X the model sees afterwards
// (evaluate, predict, the playground, model.json and its exports).
import { InputError } from '../errors.ts';
import type { Dataset } from '../types.ts';

/** Per feature i: x ↦ (x − mean[i]) / std[i]. */
export interface Standardization {
  mean: number[];
  std: number[];
}

/** The training set's mean and (population) standard deviation per feature; a constant feature keeps std 1. */
export function fitStandardization(data: Pick<Dataset, 'n0' | 'm' | 'X'>): Standardization {
  const { n0, m, X } = data;
  const mean: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < n0; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += X[i * m + j];
    const mu = sum / m;
    let sq = 0;
    for (let j = 0; j < m; j++) sq += (X[i * m + j] - mu) ** 2;
    const sd = Math.sqrt(sq / m);
    mean.push(Math.fround(mu));
    std.push(sd > 0 ? Math.fround(sd) : 1);
  }
  return { mean, std };
}

/** X (n0, m) standardized, as a new Float32Array. */
export function standardizeX(X: ArrayLike<number>, n0: number, m: number, s: Standardization): Float32Array {
  const out = new Float32Array(n0 * m);
  for (let i = 0; i < n0; i++) for (let j = 0; j < m; j++) out[i * m + j] = (X[i * m + j] - s.mean[i]) / s.std[i];
  return out;
}

/** A data set with X standardized (Y shared). */
export const standardizeData = (data: Dataset, s: Standardization): Dataset => ({ ...data, X: standardizeX(data.X, data.n0, data.m, s) });

/** n0 finite means and positive finite standard deviations. */
export function validateStandardization(s: unknown, n0: number, argument = 'standardize'): Standardization {
  const v = s as Partial<Standardization> | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.mean) || !Array.isArray(v.std)) {
    throw new InputError(argument, 'true, or { mean, std } with one number per feature', s);
  }
  if (v.mean.length !== n0 || v.std.length !== n0) throw new InputError(`${argument}.mean`, `${n0} numbers (n0)`, v.mean.length);
  v.mean.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`${argument}.mean[${i}]`, 'a finite number', x);
  });
  v.std.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) throw new InputError(`${argument}.std[${i}]`, 'a finite number > 0', x);
  });
  return { mean: v.mean.slice(), std: v.std.slice() };
}
