// The step's interface, types only: what a variant is given (StepContext), what it
// returns (a StepProgram: data, src/gpu/program.ts) and what it is chosen by (StepConfig). The variants import
// these from here and step.ts imports the variants: no import circle.
import type { Owner } from '../gpu/owner.ts';
import type { ChunkSum } from '../gpu/kernels.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { Activation, NetworkSpec, Optimizer, STEP_VARIANTS } from '../types.ts';
import type { GradientTensors } from './backward-pass.ts';
import type { ForwardPass, PenaltyTensors, ParameterTensors } from './forward-pass.ts';

export interface StepContext {
  owner: Owner;
  /** Layer sizes, the hidden activations and the head. */
  net: NetworkSpec;
  sizes: number[];
  /** The hidden activation when every hidden layer has the same (what the one-activation variants use). */
  activation: Activation;
  optimizer: Optimizer;
  learningRate: number;
  /**
   * All parameters [W1, b1, W2, b2, …] in one buffer, then the optimizer's state
   * (v, then s, each laid out like the parameters), and views of each parameter.
   */
  P: Tensor;
  params: ParameterTensors;
  /** Floats of one copy of the parameters (the offset of v in P). */
  paramCount: number;
  /** All gradients, laid out like the parameters, and views of each. */
  dP: Tensor;
  grads: GradientTensors;
  /** The training data: the first (usually only) chunk's. */
  X: Tensor;
  Y: Tensor;
  /** Receives [J, metric]: the forward passes' shared metrics. */
  metrics: Tensor;
  /**
   * Data larger than one storage binding comes in chunks of examples (see
   * chunks.ts), each with its forward pass; all share `metrics`. Only 'simple'
   * runs several chunks.
   */
  chunks: StepChunk[];
  /**
   * status[0] is set to 1 by any step whose forward pass produces a non-finite Z
   * (the cost is then NaN) or whose update produces a non-finite parameter.
   */
  status: Tensor;
  /** clock[0]: updates taken so far (the batch order and Adam's t read it). */
  clock: Tensor;
  /** The weight penalties, when λ2 or λ1 > 0. */
  penalty?: PenaltyTensors;
  /** Mini-batches of `size` examples (size < m), in the seeded per-epoch order. */
  batch?: { size: number; seed: number };
  /** The small step's invocations per workgroup, when not the adapter's default. */
  smallWorkgroup?: number;
}

/** What the one-chunk variants (lanes, fused, tiled) use of the step's context. */
export type SingleChunkContext = Omit<StepContext, 'chunks' | 'grads' | 'net' | 'optimizer' | 'paramCount' | 'clock'>;

export interface StepChunk {
  X: Tensor;
  Y: Tensor;
  forward: ForwardPass;
  /** 1/m of the whole set, and whether this chunk adds to the earlier ones. */
  sum: ChunkSum;
}

export type { StepProgram } from '../gpu/program.ts';

/**
 * 'simple': one dispatch per equation; every depth, head, optimizer, L2, batches, chunks.
 * 'lanes': the whole step in one dispatch of one subgroup, no barriers (small n0, n1; needs subgroups).
 * 'fused': the whole step in one dispatch of one workgroup (small n0, n1).
 * 'fused2': the same kernels as two dispatches over many workgroups (wider n1).
 * 'small': the whole step of any network in one dispatch of one workgroup (small steps).
 * 'shared': the simple step's structure with products staged in workgroup memory (GPUs).
 * 'sparse': the seed's network on mostly-zero X: four dispatches with lists of X's nonzeros.
 * 'tiled': the simple step's structure with register-tiled products (wide layers).
 * 'auto': the first variant in VARIANTS that supports the configuration and suits its size.
 */
export type StepVariant = (typeof STEP_VARIANTS)[number];

/** What a variant is chosen by: the network, the training options, the data and the device. */
export interface StepConfig {
  net: NetworkSpec;
  optimizer: Optimizer;
  l2: number;
  l1: number;
  /** Examples per step (m for the full batch). */
  batchSize: number;
  m: number;
  chunks: number;
  /**
   * The fraction of (line of X, block of 4 examples) pairs that are not all zero
   * (seed/sparse-lists.ts xBlockFill): what the sparse step needs small. Measured for the
   * seed's network only; 1 elsewhere.
   */
  xFill: number;
}

