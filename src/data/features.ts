// TensorFlow Playground's input features: the network's inputs computed from a point's
// two raw coordinates (x1, x2). With x1² and x2² a network without a hidden layer
// separates circles (its boundary w1·x1² + w2·x2² + b = 0 is an ellipse); with sin x1 it
// reads stripes. One owner for their math: the playground applies them to its data and
// its grid, and model.json, ONNX and `npm run predict` apply them to raw (x1, x2), so an
// exported model takes the same two numbers a user has.
import { InputError } from '../errors.ts';

/** The features, by the names links and model.json use. */
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type Feature = (typeof FEATURES)[number];

/** The raw inputs every feature is computed from. */
export const RAW_INPUTS = 2;

/** As the page writes them. */
export const FEATURE_LABELS: Record<Feature, string> = {
  x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sinx1: 'sin x₁', sinx2: 'sin x₂',
};

/** Feature f of the point (x1, x2), in float64. */
export function featureValue(f: Feature, x1: number, x2: number): number {
  switch (f) {
    case 'x1': return x1;
    case 'x2': return x2;
    case 'x1sq': return x1 * x1;
    case 'x2sq': return x2 * x2;
    case 'x1x2': return x1 * x2;
    case 'sinx1': return Math.sin(x1);
    case 'sinx2': return Math.sin(x2);
  }
}

/** True when the features are the raw inputs themselves, in order (no transform: the data is used as it is). */
export const isIdentity = (features: readonly Feature[]): boolean => features.length === 2 && features[0] === 'x1' && features[1] === 'x2';

/** X (2, m) of raw points, one per column, as the features (F, m), one row per feature. */
export function applyFeatures(X: ArrayLike<number>, m: number, features: readonly Feature[]): Float32Array {
  if (X.length !== RAW_INPUTS * m) throw new InputError('X', `${RAW_INPUTS} × m = ${RAW_INPUTS * m} numbers (x1 and x2 of each example)`, X.length);
  const out = new Float32Array(features.length * m);
  features.forEach((f, i) => {
    for (let j = 0; j < m; j++) out[i * m + j] = featureValue(f, X[j], X[m + j]);
  });
  return out;
}

/** A non-empty list of distinct feature names; anything else is an InputError naming `argument`. */
export function validateFeatures(value: unknown, argument = 'inputs'): Feature[] {
  const expected = `a non-empty list of distinct features from ${FEATURES.join(', ')}`;
  if (!Array.isArray(value) || value.length === 0) throw new InputError(argument, expected, value);
  value.forEach((f, i) => {
    if (!(FEATURES as readonly unknown[]).includes(f)) throw new InputError(`${argument}[${i}]`, `one of ${FEATURES.join(', ')}`, f);
    if (value.indexOf(f) !== i) throw new InputError(`${argument}[${i}]`, 'a feature not listed before', f);
  });
  return value.slice() as Feature[];
}
