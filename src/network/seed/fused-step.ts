// The fused step for small hidden layers (n2 = 1, two layers): the whole
// forward, backward and update in ONE dispatch of one workgroup ('fused'), or
// in two dispatches over many workgroups ('fused2': examples, then hidden
// units). At the flower's size a dispatch costs more than the step's arithmetic, so
// fewer dispatches is what matters (docs/PERFORMANCE.md); 'fused2' spreads wider
// layers over the CPU cores. shaders/fused_step.wgsl.ts has the math.
import { F32 } from '../../gpu/constants.ts';
import { stepUniform } from '../../gpu/explicit-pipeline.ts';
import { kernel, type When } from '../../gpu/program.ts';
import { fusedStep, type FusedMode, type FusedShape } from '../../../shaders/seed/fused_step.wgsl.ts';
import { newTensor } from '../forward-pass.ts';
import type { SingleChunkContext, StepProgram } from '../step-types.ts';

/** Invocations per workgroup of the fused kernels (measured best for the flower: docs/PERFORMANCE.md). */
export const FUSED_WORKGROUP = 64;
/** Up to this many hidden units 'auto' picks the one-dispatch 'fused' step. */
export const FUSED_SINGLE_MAX_UNITS = 256;
/** Workgroups of the examples phase of 'fused2', and hidden units per workgroup of its units phase. */
const FUSED2_GROUPS = 8;

/** Whether the fused kernels can run this network: two layers, one output, a small input. */
export function fusedFits(sizes: number[], m: number, limits: GPUSupportedLimits): boolean {
  const maxWorkgroupStorage = limits.maxComputeWorkgroupStorageSize;
  const maxStorage = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (sizes.length !== 3 || sizes[2] !== 1 || sizes[0] > 32) return false;
  if ((sizes[1] + 1) * m * F32 > maxStorage) return false;
  const [n0, n1] = sizes;
  // partial: (n0 + 3) × max(units per group, workgroup) floats, plus the loss array.
  return (n0 + 3) * Math.max(n1, FUSED_WORKGROUP) * F32 + 8 * FUSED_WORKGROUP <= maxWorkgroupStorage;
}

/** The fused step; its cost pass is the chunks' forward passes (the descriptor adds it: the kernel computes J only inside a step). */
export async function fusedStepProgram(ctx: SingleChunkContext, twoDispatches: boolean): Promise<Omit<StepProgram, 'cost' | 'tensors'>> {
  const { owner, sizes, activation, P, X, Y, metrics, status, dP } = ctx;
  const [n0, n1] = sizes;
  const m = X.cols;
  const off = (t: { offset: number }) => t.offset / F32;
  const groups = twoDispatches ? Math.min(FUSED2_GROUPS, Math.ceil(m / FUSED_WORKGROUP)) : 1;
  const unitsPerGroup = twoDispatches ? Math.ceil(n1 / Math.min(FUSED2_GROUPS, n1)) : n1;
  const shape: FusedShape = {
    n0, n1, m, groups, unitsPerGroup, wg: FUSED_WORKGROUP,
    W1: off(ctx.params.W[1]), b1: off(ctx.params.b[1]), W2: off(ctx.params.W[2]), b2: off(ctx.params.b[2]),
  };
  // [A1 (n1, m), dZ2 (1, m), [loss, correct] per workgroup of the examples phase]
  const scratch = newTensor(owner, 'fused scratch', 1, (n1 + 1) * m + 2 * groups);
  const { buffer: alpha, setLearningRate } = stepUniform(owner, 'fused', ctx.learningRate);
  const resources = [alpha, X, Y, P, dP, scratch, metrics, status];
  const modes: [FusedMode, number, string][] = twoDispatches
    ? [['examples', groups, 'forward, dZ2 and the loss per example'], ['units', Math.ceil(n1 / unitsPerGroup), 'dW, db and the update per hidden unit']]
    : [['one', 1, 'the whole step in one workgroup']];
  const launches = await Promise.all(modes.map(async ([mode, count, label]) => {
    const source = { name: `fused_step(${activation}, ${mode}, ${JSON.stringify(shape)})`, code: fusedStep(activation, mode, shape) };
    const launch = (when: When, suffix: string) => kernel(owner.device, { label: label + suffix, source, resources, grid: [count, 1], constants: { WITH_COST: when === 'cost' ? 1 : 0 }, when });
    return Promise.all([launch('no-cost', ''), launch('cost', ', J and accuracy')]);
  }));
  return { name: twoDispatches ? 'fused2' : 'fused', step: launches.flat(), setLearningRate };
}
