// Predictions from a saved model on the CPU, in float64 from its float32
// parameters: what `npm run predict` writes, with no GPU needed. The model's
// standardization is applied first, as the trainer does; outputs agree with
// Trainer.predict on the GPU to float32 rounding (e2e/cli-data.spec.ts measures it).
import { standardizeX } from '../data/standardize.ts';
import { forward } from '../reference/network.ts';
import type { ParsedModel } from './model-json.ts';
import { classCount } from './model-json.ts';

export interface Prediction {
  /** The network's outputs A[L], (nL, m). */
  outputs: Float64Array;
  /** Classifiers: the class index of each example (the largest output; one sigmoid output above 0.5 is class 1). */
  classIds: number[] | null;
  /** Classifiers: each example's probability of each class, [example][class]. */
  probabilities: number[][] | null;
}

export function predictModel(model: Pick<ParsedModel, 'params' | 'hidden' | 'head' | 'standardization'>, X: ArrayLike<number>, m: number): Prediction {
  const { sizes } = model.params;
  const n0 = sizes[0];
  const x = model.standardization ? standardizeX(X, n0, m, model.standardization) : X;
  const A = forward(model.params, { hidden: model.hidden, head: model.head }, x, m).A;
  const outputs = A[A.length - 1];
  const K = classCount(sizes, model.head);
  if (K === 0) return { outputs, classIds: null, probabilities: null };
  const rows = sizes[sizes.length - 1];
  const probabilities: number[][] = [];
  const classIds: number[] = [];
  for (let j = 0; j < m; j++) {
    const p = rows === 1 ? [1 - outputs[j], outputs[j]] : Array.from({ length: rows }, (_, i) => outputs[i * m + j]);
    probabilities.push(p);
    classIds.push(rows === 1 ? (outputs[j] > 0.5 ? 1 : 0) : p.indexOf(Math.max(...p)));
  }
  return { outputs, classIds, probabilities };
}
