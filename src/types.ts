// Shared shapes of the project. Matrices follow the seed notes: one example per
// column, stored row-major, so entry (i, j) of an (rows, cols) matrix is at
// i * cols + j. X is (n0, m), Y is (nL, m), W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).

/** Hidden-layer activation g. The output layer's function is the head's. */
export type Activation = 'tanh' | 'relu' | 'leaky-relu' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'leaky-relu', 'sigmoid', 'linear'];

/**
 * The output layer and its cost, each the canonical pair so that dZ[L] = A[L] − Y:
 * - 'sigmoid': A = σ(Z), binary cross-entropy over every output (the seed's);
 *   Y (n_L, m) of labels 0 or 1.
 * - 'softmax': A = softmax(Z) per column over K = n_L ≥ 2 classes, categorical
 *   cross-entropy; Y (1, m) of class ids 0 … K−1 (one-hot is made on the GPU).
 * - 'linear': A = Z, J = (1/2m) Σ ‖a − y‖² (regression); Y (n_L, m) of reals.
 */
export type Head = 'sigmoid' | 'softmax' | 'linear';
export const HEADS: readonly Head[] = ['sigmoid', 'softmax', 'linear'];

/** What the layers compute: g of each hidden layer l = 1..L−1 (hidden[l − 1]) and the head. */
export interface NetworkSpec {
  sizes: number[];
  hidden: Activation[];
  head: Head;
}

/** Rows of Y for this head: one row of class ids for softmax, else one per output. */
export const labelRows = (spec: { sizes: readonly number[]; head: Head }): number =>
  spec.head === 'softmax' ? 1 : spec.sizes[spec.sizes.length - 1];

/**
 * The update rule:
 * - 'sgd':      W ← W − α·dW (the seed's)
 * - 'momentum': v ← β1·v + (1 − β1)·dW, W ← W − α·v (as the course writes it)
 * - 'adam':     v ← β1·v + (1 − β1)·dW, s ← β2·s + (1 − β2)·dW²,
 *               W ← W − α·v̂ / (√ŝ + ε), v̂ = v/(1 − β1^t), ŝ = s/(1 − β2^t), t = 1, 2, …
 */
export type OptimizerKind = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];

/** Implementations of the gradient step (src/network/step.ts); 'auto' picks by configuration and size. */
export const STEP_VARIANTS = ['auto', 'simple', 'lanes', 'fused', 'fused2', 'small', 'shared', 'sparse', 'tiled'] as const;

export interface Optimizer {
  kind: OptimizerKind;
  /** Momentum's β, Adam's β1 (default 0.9). */
  beta1: number;
  /** Adam's β2 (default 0.999). */
  beta2: number;
  /** Adam's ε (default 1e-8). */
  epsilon: number;
}

/** Buffers of state an optimizer keeps per parameter: v for momentum, v and s for Adam. */
export const optimizerSlots = (kind: OptimizerKind): number => ({ sgd: 0, momentum: 1, adam: 2 })[kind];

/**
 * An optimizer's state, laid out like the parameters: v (momentum, Adam) and s
 * (Adam), and the number of updates t taken (Adam's bias correction, the batch clock).
 */
export interface OptimizerState {
  /** Updates taken since the run began: the batch order's clock. */
  t: number;
  /**
   * The update count at which this optimizer's v and s began (default 0): Adam's
   * bias correction counts from it (update t uses t − start), so an optimizer
   * switched to mid-run starts at its own step 1 while the batch order goes on.
   */
  start?: number;
  v?: Parameters;
  s?: Parameters;
}

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
  /**
   * Targets, (rows, m) row-major: labels 0 or 1 for a sigmoid head (one row per
   * output), class ids 0 … K−1 for softmax (one row), real numbers for a linear head.
   */
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
  /**
   * J: for the sigmoid head −(1/m) Σ [y log a + (1−y) log(1−a)] over all outputs;
   * softmax −(1/m) Σ_j log a[y_j, j]; linear (1/2m) Σ ‖a − y‖²; plus (λ/2m) Σ ‖W‖² with L2.
   */
  cost: number;
  /**
   * Classification: the fraction of outputs where (a > 0.5) equals y (sigmoid), of
   * examples whose largest output is their class (softmax). NaN for regression.
   */
  accuracy: number;
  /** Regression only: √(mean of (a − y)²) over all outputs, and 1 − SSE/SST (SST about each row's mean of Y). */
  rmse?: number;
  r2?: number;
}
