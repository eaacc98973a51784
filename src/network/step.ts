// A gradient step as a program recorded into a compute pass. The trainer only
// knows the StepProgram interface; which implementation runs is chosen here from
// one ordered list of descriptors (VARIANTS), so faster variants can be added
// without touching the trainer. Every variant keeps the simple one as its tested
// twin (style point 13).
import { InputError } from '../errors.ts';
import type { Owner } from '../gpu/owner.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { Activation, NetworkSpec, Optimizer, STEP_VARIANTS } from '../types.ts';
import type { GradientTensors } from './backward-pass.ts';
import { FUSED_SINGLE_MAX_UNITS, fusedFits, fusedStepProgram } from './fused-step.ts';
import type { ForwardPass, L2Tensors, ParameterTensors } from './forward-pass.ts';
import { LANES_MAX_EXAMPLES_PER_LANE, MAX_UNROLLED_VEC4S, lanesFits, lanesOf, lanesStepProgram } from './lanes-step.ts';
import { simpleStep } from './simple-step.ts';
import { tiledFits, tiledStepProgram } from './tiled-step.ts';
import type { ChunkSum, Matmul } from '../gpu/kernels.ts';

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
  /** L2 regularization, when λ > 0. */
  l2?: L2Tensors;
  /** Mini-batches of `size` examples (size < m), in the seeded per-epoch order. */
  batch?: { size: number; seed: number };
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

export interface StepProgram {
  /** Which implementation this is, e.g. "simple". */
  readonly name: string;
  /** The kernels one step dispatches, where the variant picks them by data (the tiled step: dense or sparse). */
  readonly kernels?: readonly string[];
  /**
   * Records one whole gradient step number `t` (updates taken before it): forward
   * propagation; when `withCost`, J and the metric of the parameters before the
   * update (on this step's batch) into metrics; backpropagation; the update;
   * status[0] = 1 on a non-finite Z or parameter.
   */
  record(pass: GPUComputePassEncoder, withCost: boolean, t: number): void;
  /**
   * Records forward propagation and J, the metric of the current parameters on the
   * whole training set into metrics, changing no parameter, with this variant's fast
   * kernels. Absent: the trainer evaluates with the simple forward passes.
   */
  recordCost?(pass: GPUComputePassEncoder): void;
  setLearningRate(alpha: number): void;
}

/**
 * 'simple': one dispatch per equation; every depth, head, optimizer, L2, batches, chunks.
 * 'lanes': the whole step in one dispatch of one subgroup, no barriers (small n0, n1; needs subgroups).
 * 'fused': the whole step in one dispatch of one workgroup (small n0, n1).
 * 'fused2': the same kernels as two dispatches over many workgroups (wider n1).
 * 'tiled': register-tiled matmuls with the elementwise work fused in, four dispatches (wide layers).
 * 'auto': the first variant in VARIANTS that supports the configuration and suits its size.
 */
export type StepVariant = (typeof STEP_VARIANTS)[number];

/** What a variant is chosen by: the network, the training options, the data and the device. */
export interface StepConfig {
  net: NetworkSpec;
  optimizer: Optimizer;
  l2: number;
  /** Examples per step (m for the full batch). */
  batchSize: number;
  m: number;
  chunks: number;
}

export interface VariantDescriptor {
  name: Exclude<StepVariant, 'auto'>;
  /** null when the variant can run this configuration, else what it lacks (for the InputError). */
  lacks(config: StepConfig, device: GPUDevice): string | null;
  /** Whether 'auto' takes it (when it can run the configuration): the sizes it is measured faster at. */
  suits(config: StepConfig, device: GPUDevice): boolean;
  build(ctx: StepContext): Promise<StepProgram>;
  /** The products of the forward passes the trainer builds for it (evaluation, chunks): plain when absent. */
  matmul?: Matmul;
}

/** The configuration a step context was built for. */
function configOf(ctx: StepContext): StepConfig {
  const m = ctx.chunks.reduce((sum, c) => sum + c.X.cols, 0);
  return { net: ctx.net, optimizer: ctx.optimizer, l2: ctx.l2?.lambda ?? 0, batchSize: ctx.batch?.size ?? m, m, chunks: ctx.chunks.length };
}

/** What the one-output fast variants were written for: the seed's network and training. */
function seedOnly(c: StepConfig, variant: string): string | null {
  const { sizes, head } = c.net;
  if (sizes.length !== 3 || sizes[2] !== 1) return `${variant} needs sizes [n0, n1, 1], got [${sizes.join(', ')}]`;
  if (head !== 'sigmoid') return `${variant} needs the sigmoid head, got ${head}`;
  if (c.optimizer.kind !== 'sgd') return `${variant} needs the sgd optimizer, got ${c.optimizer.kind}`;
  if (c.l2 !== 0) return `${variant} has no L2 regularization (l2 ${c.l2})`;
  if (c.batchSize < c.m) return `${variant} needs the full batch (batchSize ${c.batchSize} < m = ${c.m})`;
  if (c.chunks !== 1) return `${variant} needs the data in one storage binding (it comes in ${c.chunks} chunks)`;
  return null;
}

/** Whether the tiled variant runs this configuration with the seed's own four fused dispatches (tiled-step.ts). */
function seedTiled(c: StepConfig, device: GPUDevice): boolean {
  return seedOnly(c, 'tiled') === null && tiledFits(c.net.sizes, c.m, device.limits);
}

/**
 * How data seen once (evaluate, predict) runs best for a configuration: the seed's
 * tiled cost pass ('tiled-seed'), or forward passes with the products of the variant
 * 'auto' would train it with.
 */
export function evaluationKernels(config: StepConfig, device: GPUDevice): 'tiled-seed' | Matmul {
  const name = chooseVariant(config, device);
  if (name === 'tiled' && seedTiled(config, device)) return 'tiled-seed';
  return VARIANTS.find((v) => v.name === name)!.matmul ?? 'plain';
}

/** Above this many examples 'auto' does not use the fused kernels. */
export const FUSED_MAX_EXAMPLES = 65_536;
/** Above this many examples 'auto' does not use the tiled step. */
export const TILED_MAX_EXAMPLES = 1 << 20;

/** The variants in the order 'auto' tries them. */
export const VARIANTS: readonly VariantDescriptor[] = [
  {
    name: 'lanes',
    lacks: (c, device) =>
      seedOnly(c, 'lanes') ??
      (lanesFits(c.net.sizes, device)
        ? null
        : `lanes needs (vec4 unit groups per lane)·(n0 + 3) ≤ ${MAX_UNROLLED_VEC4S} and a device with subgroups`),
    // Several times the 'fused' step at the flower's sizes (docs/PERFORMANCE.md).
    suits: (c, device) => c.m <= Math.min(FUSED_MAX_EXAMPLES, lanesOf(device) * LANES_MAX_EXAMPLES_PER_LANE),
    build: lanesStepProgram,
  },
  {
    name: 'fused',
    lacks: (c, device) => seedOnly(c, 'fused') ?? (fusedFits(c.net.sizes, c.m, device.limits) ? null : 'fused needs n0 ≤ 32 and data in one binding'),
    // One workgroup walking millions of examples is slow and sums long float32 runs.
    suits: (c) => c.m <= FUSED_MAX_EXAMPLES && c.net.sizes[1] <= FUSED_SINGLE_MAX_UNITS,
    build: (ctx) => fusedStepProgram(ctx, false),
  },
  {
    name: 'fused2',
    lacks: (c, device) => seedOnly(c, 'fused2') ?? (fusedFits(c.net.sizes, c.m, device.limits) ? null : 'fused2 needs n0 ≤ 32 and data in one binding'),
    suits: (c) => c.m <= FUSED_MAX_EXAMPLES,
    build: (ctx) => fusedStepProgram(ctx, true),
  },
  {
    // The seed's network and training, in one binding: four dispatches with the
    // elementwise work fused in (tiled-step.ts). Anything else: the simple step with
    // register-tiled products (matmul_tiled.wgsl.ts), dense X for mini-batches.
    name: 'tiled',
    matmul: 'tiled',
    lacks: () => null,
    // Each tiled dW invocation sums a whole batch serially: past TILED_MAX_EXAMPLES one
    // invocation could run long enough to trip a GPU watchdog.
    suits: (c) => c.batchSize <= TILED_MAX_EXAMPLES,
    build: (ctx) => (seedTiled(configOf(ctx), ctx.owner.device) ? tiledStepProgram(ctx) : simpleStep(ctx, 'tiled')),
  },
  { name: 'simple', lacks: () => null, suits: () => true, build: simpleStep },
];

/** The variant 'auto' picks: the first in VARIANTS that can run the configuration and suits it. */
export function chooseVariant(config: StepConfig, device: GPUDevice): Exclude<StepVariant, 'auto'> {
  return VARIANTS.find((v) => v.lacks(config, device) === null && v.suits(config, device))!.name;
}

/** The descriptor of `variant`; an InputError naming what it lacks when it cannot run this configuration. */
export function variantFor(config: StepConfig, device: GPUDevice, variant: StepVariant = 'auto'): VariantDescriptor {
  const name = variant === 'auto' ? chooseVariant(config, device) : variant;
  const descriptor = VARIANTS.find((v) => v.name === name);
  if (!descriptor) throw new InputError('variant', `one of auto, ${VARIANTS.map((v) => v.name).join(', ')}`, variant);
  const lack = descriptor.lacks(config, device);
  if (lack) throw new InputError('variant', 'a variant that supports this network and training', variant, lack);
  return descriptor;
}
