// The trainer's options and results, as users write and read them.
import type { StepVariant } from '../network/step-types.ts';
import type { Standardization } from '../data/standardize.ts';
import type { Activation, Dataset, Head, InitScheme, Metrics, Optimizer, OptimizerKind, OptimizerState, Parameters } from '../types.ts';

export interface TrainerOptions {
  /** Layer sizes [n0, n1, …, nL]; n0 must match the data; nL outputs (K classes for softmax). */
  sizes: number[];
  /** Hidden-layer activation g for every hidden layer, or one per hidden layer (default 'tanh'). */
  activation?: Activation | Activation[];
  /** The output layer and its cost (default 'sigmoid', the seed's): see Head. */
  head?: Head;
  /** α, the learning rate. */
  learningRate: number;
  /** The update rule (default 'sgd', P ← P − α·dP), or { kind, beta1, beta2, epsilon } (defaults 0.9, 0.999, 1e-8). */
  optimizer?: OptimizerKind | ({ kind: OptimizerKind } & Partial<Optimizer>);
  /** λ of L2 regularization, (λ/2m)·Σ‖W‖² added to the cost (default 0). */
  l2?: number;
  /** L1 regularization λ1: the cost adds (λ1/m)·Σ|W| and each weight's gradient (λ1/m)·sign(W) (default 0). */
  l1?: number;
  /** Examples per step (default: all m, the full batch); reshuffled every epoch by `seed`. */
  batchSize?: number;
  /**
   * Standardize each feature with the training set's mean and standard deviation
   * (true), or with given statistics (from model.json); applied to every X the
   * trainer sees: training data, evaluate(data), predict. Default: off (the seed's).
   */
  standardize?: boolean | Standardization;
  /** Resume: the optimizer's state (and its step count t) from a checkpoint, with `parameters`. */
  state?: OptimizerState;
  /** Weight initialization (default 'course': 0.01·N(0,1)); ignored with `parameters`. */
  init?: InitScheme;
  /** Seed of the initialization and of the order of mini-batches (default 1). */
  seed?: number;
  /** Start from these parameters instead of a random initialization. */
  parameters?: Parameters;
  /** Step implementation (default 'auto': chosen by shape and device). */
  variant?: StepVariant;
  /**
   * Invocations of the small step's one workgroup: a power of two up to the device's
   * limit (default 4 on a fallback adapter, 64 on a GPU: src/network/small-step.ts).
   */
  smallWorkgroup?: number;
  /**
   * Steps whose command buffers go in one queue submit (default: a window's, 64). Each
   * step keeps its own command encoder; 1 submits every step alone.
   */
  stepsPerSubmit?: number;
  /**
   * Most bytes of one storage binding (default: the device's limit, which is
   * asked for at the adapter's maximum). Data whose (n, m) matrices are larger is
   * split into chunks of examples inside each step; lower this to bound buffers.
   */
  maxBindingBytes?: number;
  /**
   * GPU memory the trainer may use, in bytes (default 4 GiB). Trainer.create estimates
   * what the configuration needs (parameters, optimizer state, snapshots, data,
   * activations) and refuses, before building anything, when it is more.
   */
  maxMemoryBytes?: number;
}

export interface TrainProgress extends Metrics {
  /** Number of updates applied when the cost was measured. */
  step: number;
  /** With TrainOptions.test: the same parameters' metrics on the test set. */
  test?: Metrics;
}

export interface TrainOptions {
  /** Gradient steps to take. */
  steps: number;
  /** Read the cost back every this many steps (default steps/100). */
  logEvery?: number;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
  /**
   * A test set (X raw: the trainer's standardization is applied), evaluated at
   * every logged step with the parameters of that step, in the same command
   * buffers: each history point gets its `test` metrics without a pause.
   */
  test?: Dataset;
  /**
   * With `test`: evaluate it every this many steps (a multiple of logEvery; default
   * logEvery) and at the end. A large test set at every logged step can cost more
   * than the training steps between them.
   */
  testEvery?: number;
}

export interface TrainResult {
  /** Steps taken by this call. */
  steps: number;
  /** True when stopped (stop() or the signal) before `steps`. */
  stopped: boolean;
  /** Every logEvery steps from this call's first step, and the final step (not when stopped: a stop returns without a pass over the data; evaluate() gives it). */
  history: TrainProgress[];
}

/** Parameters read back from the GPU, and the step they belong to. */
export interface Checkpoint {
  step: number;
  params: Parameters;
  /** The optimizer's state at the same step (t counts updates since the first run began). */
  state: OptimizerState;
}
