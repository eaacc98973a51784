// Predictions from a saved model on the CPU, in float64 from its float32
// parameters: what `npm run predict` writes, with no GPU needed. The model's
// input features (x1², sin x1, …) are computed first, then its standardization, as the trainer's data was; outputs agree with
// Trainer.predict on the GPU to float32 rounding (e2e/cli-data.spec.ts measures it).
import { applyFeatures } from '../data/features.ts';
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

/**
 * Each example's class from a classifier's outputs A (rows, m): one sigmoid output above
 * 0.5 is class 1 (as the trainer's accuracy counts it), else the largest of K outputs.
 */
export function predictedClasses(A: ArrayLike<number>, m: number): number[] {
  const rows = A.length / m;
  return Array.from({ length: m }, (_, j) => {
    if (rows === 1) return A[j] > 0.5 ? 1 : 0;
    let best = 0;
    for (let i = 1; i < rows; i++) if (A[i * m + j] > A[best * m + j]) best = i;
    return best;
  });
}

/** Examples counted by actual class (row, from Y's class ids) and predicted class (column), K × K. */
export function confusionMatrix(A: ArrayLike<number>, Y: ArrayLike<number>, m: number, K: number): number[][] {
  const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  predictedClasses(A, m).forEach((predicted, j) => matrix[Y[j]][predicted]++);
  return matrix;
}

/** X is the model's raw inputs, (n, m): its features' inputs (x1, x2) when it computes input features, else (n0, m). */
export function predictModel(model: Pick<ParsedModel, 'params' | 'hidden' | 'head' | 'standardization'> & { inputs?: ParsedModel['inputs'] }, X: ArrayLike<number>, m: number): Prediction {
  const { sizes } = model.params;
  const n0 = sizes[0];
  const features = model.inputs ? applyFeatures(X, m, model.inputs) : X;
  const x = model.standardization ? standardizeX(features, n0, m, model.standardization) : features;
  const A = forward(model.params, { hidden: model.hidden, head: model.head }, x, m).A;
  const outputs = A[A.length - 1];
  const K = classCount(sizes, model.head);
  if (K === 0) return { outputs, classIds: null, probabilities: null };
  const rows = sizes[sizes.length - 1];
  const probabilities = Array.from({ length: m }, (_, j) => (rows === 1 ? [1 - outputs[j], outputs[j]] : Array.from({ length: rows }, (_, i) => outputs[i * m + j])));
  return { outputs, classIds: predictedClasses(outputs, m), probabilities };
}
