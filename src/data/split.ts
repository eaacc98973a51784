// A seeded train/test split. The demo shows test points over the boundary and a
// test curve beside the training curve; the split must be the same for the same
// seed on every machine (a shared link reproduces the run), so it is drawn from
// the project's seeded generator, never Math.random.
import { InputError } from '../errors.ts';
import type { Dataset } from '../types.ts';
import { validateSeed } from '../validate.ts';
import { createRng } from './rng.ts';

export interface Split {
  train: Dataset;
  /** Empty (m = 0) when testFraction is 0. */
  test: Dataset;
}

/** The examples `indices` of data, in that order: X (n0, k), Y (1, k). */
export function takeColumns(data: Dataset, indices: readonly number[], name = data.name): Dataset {
  const { n0, m } = data;
  const k = indices.length;
  const X = new Float32Array(n0 * k);
  const Y = new Float32Array(k);
  indices.forEach((j, c) => {
    // X is (n0, m) row-major: feature i of example j at X[i * m + j].
    for (let i = 0; i < n0; i++) X[i * k + c] = data.X[i * m + j];
    Y[c] = data.Y[j];
  });
  return { name, n0, m: k, X, Y };
}

/**
 * Shuffles the examples with `seed` (Fisher–Yates) and puts round(testFraction · m)
 * of them in `test`, the rest in `train`; each part keeps the shuffled order.
 * The training part always keeps at least one example.
 */
export function splitDataset(data: Dataset, testFraction: number, seed = 1): Split {
  if (typeof testFraction !== 'number' || !(testFraction >= 0 && testFraction < 1)) {
    throw new InputError('testFraction', 'a number in [0, 1)', testFraction);
  }
  validateSeed(seed);
  const { m } = data;
  const order = Array.from({ length: m }, (_, j) => j);
  const rng = createRng(seed);
  for (let j = m - 1; j > 0; j--) {
    const k = Math.floor(rng.uniform() * (j + 1));
    [order[j], order[k]] = [order[k], order[j]];
  }
  const mTest = Math.min(m - 1, Math.round(testFraction * m));
  return {
    train: takeColumns(data, order.slice(mTest), data.name),
    test: takeColumns(data, order.slice(0, mTest), `${data.name} (test)`),
  };
}
