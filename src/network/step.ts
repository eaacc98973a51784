// A gradient step as a program recorded into a compute pass. The trainer only
// knows this interface; which implementation runs is chosen here, by shape and
// device, so faster variants can be added without touching the trainer. Every
// variant keeps the simple one as its tested twin (style point 13).
import { InputError } from '../errors.ts';
import { sgdUpdateKernel, type ChunkSum } from '../gpu/kernels.ts';
import type { Owner } from '../gpu/owner.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { Activation } from '../types.ts';
import { BackwardPass, type GradientTensors } from './backward-pass.ts';
import { FUSED_SINGLE_MAX_UNITS, fusedFits, fusedStepProgram } from './fused-step.ts';
import type { ForwardPass, ParameterTensors } from './forward-pass.ts';
import { LANES_MAX_EXAMPLES_PER_LANE, MAX_UNROLLED_VEC4S, lanesFits, lanesOf, lanesStepProgram } from './lanes-step.ts';
import { tiledFits, tiledStepProgram } from './tiled-step.ts';

export interface StepContext {
  owner: Owner;
  sizes: number[];
  activation: Activation;
  learningRate: number;
  /** All parameters [W1, b1, W2, b2, …] in one buffer, and views of each. */
  P: Tensor;
  params: ParameterTensors;
  /** All gradients, laid out like P, and views of each. */
  dP: Tensor;
  grads: GradientTensors;
  /** The training data: the first (usually only) chunk's. */
  X: Tensor;
  Y: Tensor;
  /** Receives [J, accuracy]: the forward passes' shared metrics. */
  metrics: Tensor;
  /**
   * Data larger than one storage binding comes in chunks of examples (see
   * chunks.ts), each with its forward pass; all share `metrics`. Variants other
   * than 'simple' may require a single chunk and fall back to 'simple' otherwise.
   */
  chunks: StepChunk[];
  /**
   * status[0] is set to 1 by any step whose forward pass produces a non-finite Z
   * (the cost is then NaN) or whose update produces a non-finite parameter.
   */
  status: Tensor;
}

/** What the one-chunk variants (lanes, fused, tiled) use of the step's context. */
export type SingleChunkContext = Omit<StepContext, 'chunks' | 'grads'>;

export interface StepChunk {
  X: Tensor;
  Y: Tensor;
  forward: ForwardPass;
  /** 1/m of the whole set, and whether this chunk adds to the earlier ones. */
  sum: ChunkSum;
}

export interface StepProgram {
  /** Which implementation this is, e.g. "simple". */
  readonly name: string;
  /** The kernels one step dispatches, where the variant picks them by data (the tiled step: dense or sparse). */
  readonly kernels?: readonly string[];
  /**
   * Records one whole gradient step: forward propagation; when `withCost`, J and
   * the accuracy of the parameters before the update into metrics;
   * backpropagation; the update P ← P − α·dP; status[0] = 1 on a non-finite Z or parameter.
   */
  record(pass: GPUComputePassEncoder, withCost: boolean): void;
  /**
   * Records forward propagation and J, the accuracy of the current parameters into
   * metrics, changing no parameter (status[0] = 1 on a non-finite Z), with
   * this variant's fast kernels. Absent: the trainer evaluates with the simple forward pass.
   */
  recordCost?(pass: GPUComputePassEncoder): void;
  setLearningRate(alpha: number): void;
}

/**
 * 'simple': one dispatch per equation (the tested twin of the others).
 * 'lanes': the whole step in one dispatch of one subgroup, no barriers (small n0, n1; needs subgroups).
 * 'fused': the whole step in one dispatch of one workgroup (small n0, n1).
 * 'fused2': the same kernels as two dispatches over many workgroups (wider n1).
 * 'tiled': register-tiled matmuls with the elementwise work fused in, four dispatches (wide layers).
 * 'auto': chosen by shape and device limits, see chooseVariant.
 */
export type StepVariant = 'auto' | 'simple' | 'lanes' | 'fused' | 'fused2' | 'tiled';

/** The kernels of the notes, one dispatch per equation (per chunk of examples). */
export async function simpleStep(ctx: StepContext): Promise<StepProgram> {
  const { owner, sizes, activation, params, grads } = ctx;
  const chunks = await Promise.all(
    ctx.chunks.map(async (c) => ({
      forward: c.forward,
      backward: await BackwardPass.create(owner, sizes, activation, params, grads, c.forward, c.Y, c.sum),
    })),
  );
  const update = await sgdUpdateKernel(owner, 'update P ← P − α·dP', { P: ctx.P, dP: ctx.dP, status: ctx.status }, ctx.learningRate);
  return {
    name: 'simple',
    record(pass, withCost) {
      for (const { forward, backward } of chunks) {
        // Forward propagation: Z1 = W1·X + b1, A1 = g(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2)
        forward.record(pass);
        if (withCost) forward.recordCost(pass);
        // Backward propagation: dZ2 = A2 − Y, dW2, db2, dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1), dW1, db1
        backward.record(pass);
      }
      // Update: P ← P − α·dP for W1, b1, W2, b2 at once
      update.dispatch.record(pass);
    },
    setLearningRate: update.setLearningRate,
    // Kept for readTensor: the simple step leaves every intermediate in place.
    backward: chunks[0].backward,
  } as StepProgram & { backward: BackwardPass };
}

/** Above this many examples 'auto' does not use the fused kernels. */
export const FUSED_MAX_EXAMPLES = 65_536;

/**
 * The fastest variant for this shape on this device: the one-subgroup step for
 * small networks when the device has subgroups, else the one-dispatch fused step
 * while one workgroup can do the whole step quickly, two dispatches over all
 * cores for wider hidden layers, the tiled matmuls for wide inputs, the simple
 * kernels otherwise.
 */
export function chooseVariant(sizes: number[], m: number, chunks: number, device: GPUDevice): Exclude<StepVariant, 'auto'> {
  const limits = device.limits;
  if (chunks !== 1) return 'simple';
  // Measured on SwiftShader (npm run bench, steps/s): 2-4-1 3.1×, 2-64-1 3.3× the 'fused' step.
  if (m <= Math.min(FUSED_MAX_EXAMPLES, lanesOf(device) * LANES_MAX_EXAMPLES_PER_LANE) && lanesFits(sizes, device)) return 'lanes';
  // One workgroup walking millions of examples is slow and sums long float32
  // runs; the simple kernels spread and block their reductions.
  if (m <= FUSED_MAX_EXAMPLES && fusedFits(sizes, m, limits)) return sizes[1] <= FUSED_SINGLE_MAX_UNITS ? 'fused' : 'fused2';
  // Wider inputs or more examples: the tiled matmuls, measured faster than the simple
  // kernels at every shape tried on SwiftShader (7× at 784-128-1@2000, 20× at 40-64-1@1000,
  // 1.1× at 2-4-1@100000).
  // Each tiled dW invocation loops over all m serially: past TILED_MAX_EXAMPLES a
  // single invocation could run long enough to trip a GPU watchdog, and the
  // simple kernels split every sum over m across a workgroup.
  return m <= TILED_MAX_EXAMPLES && tiledFits(sizes, m, limits) ? 'tiled' : 'simple';
}

/** Above this many examples 'auto' does not use the tiled step. */
export const TILED_MAX_EXAMPLES = 1 << 20;

/** Builds the step implementation `variant`, or the one chosen for this shape and device. */
export async function buildStep(ctx: StepContext, variant: StepVariant = 'auto'): Promise<StepProgram> {
  const { sizes, X, chunks, owner } = ctx;
  const chosen = variant === 'auto' ? chooseVariant(sizes, X.cols, chunks.length, owner.device) : variant;
  if ((chosen === 'fused' || chosen === 'fused2') && (chunks.length !== 1 || !fusedFits(sizes, X.cols, owner.device.limits))) {
    throw new InputError('variant', 'a variant that fits this network (fused needs sizes [n0 ≤ 32, n1, 1] and data in one binding)', variant);
  }
  if (chosen === 'lanes' && (chunks.length !== 1 || !lanesFits(sizes, owner.device))) {
    throw new InputError('variant', `a variant that fits this network (lanes needs sizes [n0, n1, 1] with (vec4 unit groups per lane)·(n0 + 3) ≤ ${MAX_UNROLLED_VEC4S}, data in one binding and a device with subgroups)`, variant);
  }
  // Asked for by name on data in several chunks (or too large for its buffers): the simple kernels.
  if (chosen === 'tiled' && (chunks.length !== 1 || !tiledFits(sizes, X.cols, owner.device.limits))) return simpleStep(ctx);
  switch (chosen) {
    case 'simple':
      return simpleStep(ctx);
    case 'lanes':
      return lanesStepProgram(ctx);
    case 'fused':
      return fusedStepProgram(ctx, false);
    case 'fused2':
      return fusedStepProgram(ctx, true);
    case 'tiled':
      return tiledStepProgram(ctx);
  }
}
