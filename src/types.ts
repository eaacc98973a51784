// Shared shapes of the project. Matrices follow the seed notes: one example per
// column, stored row-major, so entry (i, j) of an (rows, cols) matrix is at
// i * cols + j. X is (n0, m), Y is (nL, m), W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).

/** Hidden-layer activation g. The output layer is always the sigmoid. */
export type Activation = 'tanh' | 'relu' | 'leaky-relu' | 'sigmoid';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'leaky-relu', 'sigmoid'];

/** Slope of leaky ReLU for z < 0. One owner: the WGSL kernels get it as a constant. */
export const LEAKY_RELU_SLOPE = 0.01;

/**
 * Weight initialization. Biases always start at zero.
 * - 'course': 0.01 · N(0, 1), as in the course.
 * - 'xavier': N(0, 1) · sqrt(1 / n_{l-1}).
 * - 'he':     N(0, 1) · sqrt(2 / n_{l-1}).
 * - 'zeros':  all zeros; only on explicit request (it never breaks symmetry).
 */
export type InitScheme = 'course' | 'xavier' | 'he' | 'zeros';
export const INIT_SCHEMES: readonly InitScheme[] = ['course', 'xavier', 'he', 'zeros'];

/** A labelled data set in the seed's layout. */
export interface Dataset {
  name: string;
  /** Features per example, n0. */
  n0: number;
  /** Number of examples, m. */
  m: number;
  /** (n0, m), row-major: feature i of example j at X[i * m + j]. */
  X: Float32Array;
  /** (1, m): labels 0 or 1. */
  Y: Float32Array;
}

/**
 * Parameters of a network with sizes [n0, n1, ..., nL], L = sizes.length − 1.
 * Per-layer arrays are indexed by the layer number l = 1..L as in the notes, so
 * W[1] is W^[1]; index 0 holds an empty array. W[l] is (n_l, n_{l-1}) row-major,
 * b[l] has length n_l. Values are float32 numbers held in Float64Array so that the
 * float64 reference and the GPU start from exactly the same numbers.
 */
export interface Parameters {
  sizes: number[];
  W: Float64Array[];
  b: Float64Array[];
}

/** Gradients, indexed like Parameters: dW[l], db[l], dZ[l] for l = 1..L. */
export interface Gradients {
  dZ: Float64Array[];
  dW: Float64Array[];
  db: Float64Array[];
}

/** Cost and accuracy of parameters on a data set. */
export interface Metrics {
  /** J = −(1/m) Σ [y log a + (1−y) log(1−a)], over all outputs. */
  cost: number;
  /** Fraction of outputs where (a > 0.5) equals y. */
  accuracy: number;
}
