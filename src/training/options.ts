// The trainer's options and results, as users write and read them.
import type { StepVariant } from '../network/step.ts';
import type { Activation, InitScheme, Metrics, Parameters } from '../types.ts';

export interface TrainerOptions {
  /** Layer sizes [n0, n1, n2]; n0 must match the data, n2 = 1. */
  sizes: number[];
  /** Hidden-layer activation g (default 'tanh'); the output layer is σ. */
  activation?: Activation;
  /** α in P ← P − α·dP. */
  learningRate: number;
  /** Weight initialization (default 'course': 0.01·N(0,1)); ignored with `parameters`. */
  init?: InitScheme;
  /** Seed of the initialization (default 1). */
  seed?: number;
  /** Start from these parameters instead of a random initialization. */
  parameters?: Parameters;
  /** Step implementation (default 'auto': chosen by shape and device). */
  variant?: StepVariant;
  /** Steps whose command buffers go in one queue submit (default 1). Each step keeps its own encoder. */
  stepsPerSubmit?: number;
  /**
   * Most bytes of one storage binding (default: the device's limit, which is
   * asked for at the adapter's maximum). Data whose (n, m) matrices are larger is
   * split into chunks of examples inside each step; lower this to bound buffers.
   */
  maxBindingBytes?: number;
}

export interface TrainProgress extends Metrics {
  /** Number of updates applied when the cost was measured. */
  step: number;
}

export interface TrainOptions {
  /** Gradient steps to take. */
  steps: number;
  /** Read the cost back every this many steps (default steps/100). */
  logEvery?: number;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  /** Steps taken by this call. */
  steps: number;
  /** True when stopped (stop() or the signal) before `steps`. */
  stopped: boolean;
  /** Every logEvery steps from this call's first step, and the final step. */
  history: TrainProgress[];
}

/** Parameters read back from the GPU, and the step they belong to. */
export interface Checkpoint {
  step: number;
  params: Parameters;
}
