// The metrics the GPU writes, [J, metric], as users read them: the cost, and the
// accuracy for the classifying heads or RMSE and R² for regression (the linear
// head's metric slot holds the mean squared error over all outputs).
import type { Head, Metrics } from '../types.ts';

/** What the cost kernels write: J, and the head's metric (accuracy, or the MSE for linear). */
export interface RawMetrics {
  cost: number;
  accuracy: number;
}

/** `variance`: the per-entry variance of the targets the MSE was measured on (R² = 1 − MSE / variance). */
export function toMetrics(raw: RawMetrics, head: Head, variance: number): Metrics {
  if (head !== 'linear') return { cost: raw.cost, accuracy: raw.accuracy };
  return { cost: raw.cost, accuracy: NaN, rmse: Math.sqrt(raw.accuracy), r2: 1 - raw.accuracy / variance };
}

/** Σ over rows of Σ_j (y − ȳ_row)², over the number of entries: the variance R² is measured against. */
export function targetVariance(Y: Float32Array, m: number): number {
  const rows = Y.length / m;
  let sst = 0;
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let j = 0; j < m; j++) mean += Y[i * m + j];
    mean /= m;
    for (let j = 0; j < m; j++) sst += (Y[i * m + j] - mean) ** 2;
  }
  return sst / Y.length;
}
