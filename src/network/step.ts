// A gradient step as a program recorded into a compute pass. The trainer only
// knows the StepProgram interface (step-types.ts); which implementation runs is
// chosen here from one ordered list of descriptors (VARIANTS), so faster variants
// can be added without touching the trainer. Every variant keeps the simple one as
// its tested twin (style point 13).
import { InputError } from '../errors.ts';
import { isFallbackDevice } from '../gpu/device.ts';
import type { Matmul } from '../gpu/kernels.ts';
import { chunksCostPass } from './forward-pass.ts';
import { FUSED_SINGLE_MAX_UNITS, fusedFits, fusedStepProgram } from './seed/fused-step.ts';
import { LANES_MAX_EXAMPLES_PER_LANE, MAX_UNROLLED_VEC4S, lanesFits, lanesOf, lanesStepProgram } from './seed/lanes-step.ts';
import { simpleStep } from './simple-step.ts';
import { flopsPerStep } from '../perf/flops.ts';
import { smallLacks, smallMaxFlops, smallStepProgram } from './small-step.ts';
import type { StepConfig, StepContext, StepProgram, StepVariant } from './step-types.ts';
import { SPARSE_MAX_FILL } from './seed/sparse-lists.ts';
import { sparseFits, sparseStepProgram } from './seed/sparse-step.ts';

export type { SingleChunkContext, StepChunk, StepConfig, StepContext, StepProgram, StepVariant } from './step-types.ts';

export interface VariantDescriptor {
  name: Exclude<StepVariant, 'auto'>;
  /** null when the variant can run this configuration, else what it lacks (for the InputError). */
  lacks(config: StepConfig, device: GPUDevice): string | null;
  /** null when 'auto' takes it (when it can run the configuration), else why not: the sizes it is measured faster at. */
  unsuited(config: StepConfig, device: GPUDevice): string | null;
  build(ctx: StepContext): Promise<StepProgram>;
  /** The products of the forward passes the trainer builds for it (evaluation, chunks): plain when absent. */
  matmul?: Matmul;
}

/** What the one-output fast variants were written for: the seed's network and training. */
function seedOnly(c: StepConfig, variant: string): string | null {
  const { sizes, head } = c.net;
  if (sizes.length !== 3 || sizes[2] !== 1) return `${variant} needs sizes [n0, n1, 1], got [${sizes.join(', ')}]`;
  if (head !== 'sigmoid') return `${variant} needs the sigmoid head, got ${head}`;
  if (c.optimizer.kind !== 'sgd') return `${variant} needs the sgd optimizer, got ${c.optimizer.kind}`;
  if (c.l2 !== 0) return `${variant} has no L2 regularization (l2 ${c.l2})`;
  if (c.l1 !== 0) return `${variant} has no L1 regularization (l1 ${c.l1})`;
  if (c.batchSize < c.m) return `${variant} needs the full batch (batchSize ${c.batchSize} < m = ${c.m})`;
  if (c.chunks !== 1) return `${variant} needs the data in one storage binding (it comes in ${c.chunks} chunks)`;
  return null;
}

/**
 * How data seen once (evaluate, predict) runs for a configuration: the sparse step's
 * cost pass ('sparse'), or forward passes with the products of the variant the trainer
 * was asked for, or of the one 'auto' would train it with. A forced variant's own
 * products (simple, lanes and the fused steps: the plain ones) are what a user who
 * forced it wants to measure or compare.
 */
export function evaluationKernels(config: StepConfig, device: GPUDevice, requested: StepVariant = 'auto'): 'sparse' | Matmul {
  const name = requested === 'auto' ? chooseVariant(config, device) : requested;
  if (name === 'sparse') return 'sparse';
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
    unsuited: (c, device) => {
      const most = Math.min(FUSED_MAX_EXAMPLES, lanesOf(device) * LANES_MAX_EXAMPLES_PER_LANE);
      return c.m <= most ? null : `auto takes lanes up to ${most} examples (${lanesOf(device)} lanes), m = ${c.m}`;
    },
    build: lanesStepProgram,
  },
  {
    name: 'fused',
    lacks: (c, device) => seedOnly(c, 'fused') ?? (fusedFits(c.net.sizes, c.m, device.limits) ? null : 'fused needs n0 ≤ 32 and data in one binding'),
    // One workgroup walking millions of examples is slow and sums long float32 runs.
    unsuited: (c) =>
      c.m > FUSED_MAX_EXAMPLES ? `auto takes fused up to ${FUSED_MAX_EXAMPLES} examples, m = ${c.m}`
        : c.net.sizes[1] > FUSED_SINGLE_MAX_UNITS ? `auto takes fused up to ${FUSED_SINGLE_MAX_UNITS} hidden units, n1 = ${c.net.sizes[1]}` : null,
    // Their kernels compute J only inside a step: the cost pass is the chunks' forward passes.
    build: async (ctx) => ({ ...(await fusedStepProgram(ctx, false)), ...chunksCostPass(ctx.chunks) }),
  },
  {
    name: 'fused2',
    lacks: (c, device) => seedOnly(c, 'fused2') ?? (fusedFits(c.net.sizes, c.m, device.limits) ? null : 'fused2 needs n0 ≤ 32 and data in one binding'),
    unsuited: (c) => (c.m <= FUSED_MAX_EXAMPLES ? null : `auto takes fused2 up to ${FUSED_MAX_EXAMPLES} examples, m = ${c.m}`),
    build: async (ctx) => ({ ...(await fusedStepProgram(ctx, true)), ...chunksCostPass(ctx.chunks) }),
  },
  {
    // Any network whose step is small: the whole step in one dispatch of one workgroup,
    // where launching a dozen kernels costs more than the arithmetic.
    name: 'small',
    lacks: (c, device) => smallLacks(c, device.limits),
    unsuited: (c, device) => {
      const [flops, most] = [flopsPerStep(c.net.sizes, c.batchSize), smallMaxFlops(device)];
      return flops <= most ? null : `auto takes small up to ${most} floating-point operations a step on this adapter, this one has ${flops}`;
    },
    build: smallStepProgram,
  },
  {
    // GPUs: the simple step with products staged in workgroup memory (matmul_shared.wgsl.ts),
    // as fast GPU matmuls are built. Fallback adapters (SwiftShader: workgroup memory is
    // slower than plain loads there, docs/PERFORMANCE.md) keep the register tiles below.
    name: 'shared',
    matmul: 'shared',
    lacks: () => null,
    unsuited: (c, device) =>
      isFallbackDevice(device) ? 'a fallback adapter (workgroup memory is slower than plain loads there): the register tiles run faster'
        : c.batchSize > TILED_MAX_EXAMPLES ? `auto takes shared up to ${TILED_MAX_EXAMPLES} examples a step, batch = ${c.batchSize}` : null,
    build: (ctx) => simpleStep(ctx, 'shared'),
  },
  {
    // The seed's network and training on sparse data in one binding: four dispatches with
    // the elementwise work fused in and lists of X's nonzeros (seed/sparse-step.ts).
    name: 'sparse',
    matmul: 'tiled',
    lacks: (c, device) =>
      seedOnly(c, 'sparse') ??
      (!sparseFits(c.net.sizes, c.m, device.limits) ? 'sparse needs A1 (n1, m) and dZ1ᵀ within one storage binding'
        : c.xFill > SPARSE_MAX_FILL ? `sparse needs X mostly zero: at most ${SPARSE_MAX_FILL} of its (line, block of 4 examples) pairs nonzero, X has ${c.xFill.toFixed(2)}` : null),
    unsuited: (c) => (c.m <= TILED_MAX_EXAMPLES ? null : `auto takes sparse up to ${TILED_MAX_EXAMPLES} examples, m = ${c.m}`),
    // Lists longer than one binding (rare: X past SPARSE_MAX_FILL is refused above) train with the register tiles.
    build: async (ctx) => (await sparseStepProgram(ctx)) ?? simpleStep(ctx, 'tiled'),
  },
  {
    // The simple step with register-tiled products (matmul_tiled.wgsl.ts): Wᵀ·dZ and g' in one dispatch.
    name: 'tiled',
    matmul: 'tiled',
    lacks: () => null,
    // Each tiled dW invocation sums a whole batch serially: past TILED_MAX_EXAMPLES one
    // invocation could run long enough to trip a GPU watchdog.
    unsuited: (c) => (c.batchSize <= TILED_MAX_EXAMPLES ? null : `auto takes tiled up to ${TILED_MAX_EXAMPLES} examples a step, batch = ${c.batchSize}`),
    build: (ctx) => simpleStep(ctx, 'tiled'),
  },
  { name: 'simple', lacks: () => null, unsuited: () => null, build: simpleStep },
];

/** The variant 'auto' picks: the first in VARIANTS that can run the configuration and suits it. */
export function chooseVariant(config: StepConfig, device: GPUDevice): Exclude<StepVariant, 'auto'> {
  return VARIANTS.find((v) => v.lacks(config, device) === null && v.unsuited(config, device) === null)!.name;
}

/** Why each variant before the chosen one was passed by, and the choice: the --explain text's first lines. */
export function explainChoice(config: StepConfig, device: GPUDevice, asked: StepVariant): string[] {
  const chosen = asked === 'auto' ? chooseVariant(config, device) : asked;
  if (asked !== 'auto') return [`variant ${chosen}: asked for by name`];
  const lines = [`variant ${chosen}: the first in VARIANTS (src/network/step.ts) that runs this configuration and suits it`];
  for (const v of VARIANTS) {
    if (v.name === chosen) break;
    lines.push(`  not ${v.name}: ${v.lacks(config, device) ?? v.unsuited(config, device)}`);
  }
  return lines;
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
