// The 'lanes' step for small networks (n2 = 1, two layers, few hidden units):
// the whole forward, backward and update in ONE dispatch of one subgroup, with
// no barrier and no scratch memory; each lane keeps its own gradient sums in
// registers and subgroup shuffles combine them (shaders/fused_step_lanes.wgsl.ts).
// On SwiftShader a workgroup barrier is a coroutine switch per group of four lanes,
// so avoiding them pays several times over (docs/PERFORMANCE.md). Needs the
// `subgroups` feature.
import { F32 } from '../../gpu/constants.ts';
import { stepUniform } from '../../gpu/explicit-pipeline.ts';
import { kernel, type When } from '../../gpu/program.ts';
import { fusedStepLanes, type LanesShape } from '../../../shaders/seed/fused_step_lanes.wgsl.ts';
import type { SingleChunkContext, StepProgram } from '../step-types.ts';

/** Most lanes the kernel uses; the adapter's smallest subgroup may be smaller. */
const MAX_LANES = 64;
/**
 * A lane's unrolled code holds (its unit groups)·(n0 + 3) vec4 parameters and as
 * many sums: a bound on code size, registers and compile time (docs/PERFORMANCE.md).
 */
export const MAX_UNROLLED_VEC4S = 48;
/** Unit groups (of 4 units) per lane the split aims for: more lanes share the units beyond it. */
const GROUPS_PER_LANE = 4;
/** Examples per lane above which 'auto' prefers kernels that block their float32 sums. */
export const LANES_MAX_EXAMPLES_PER_LANE = 4096;

/** Lanes of the one-subgroup kernel on this device, or 0 without subgroups. */
export function lanesOf(device: GPUDevice): number {
  if (!device.features.has('subgroups')) return 0;
  const min = device.adapterInfo?.subgroupMinSize ?? 0;
  return Math.min(MAX_LANES, min);
}

/**
 * Unit slices U of the lanes (a power of two dividing `lanes`): 1 while a lane
 * can hold every unit group (no per-example shuffles, no repeated work), more as
 * the layer widens, so that each lane keeps about GROUPS_PER_LANE groups.
 */
export function unitSlices(n1: number, lanes: number): number {
  const groups = Math.ceil(n1 / 4);
  let u = 1;
  while (u < lanes && Math.ceil(groups / u) > GROUPS_PER_LANE) u *= 2;
  return u;
}

/** Whether the lanes kernel can run this network on this device. */
export function lanesFits(sizes: number[], device: GPUDevice): boolean {
  const lanes = lanesOf(device);
  if (sizes.length !== 3 || sizes[2] !== 1 || lanes < 1) return false;
  const [n0, n1] = sizes;
  return Math.ceil(Math.ceil(n1 / 4) / unitSlices(n1, lanes)) * (n0 + 3) <= MAX_UNROLLED_VEC4S;
}

export async function lanesStepProgram(ctx: SingleChunkContext, lanes = lanesOf(ctx.owner.device)): Promise<StepProgram> {
  const { owner, sizes, activation, P, X, Y, metrics, status, dP } = ctx;
  const off = (t: { offset: number }) => t.offset / F32;
  const shape: LanesShape = {
    n0: sizes[0], n1: sizes[1], m: X.cols, lanes, units: unitSlices(sizes[1], lanes),
    W1: off(ctx.params.W[1]), b1: off(ctx.params.b[1]), W2: off(ctx.params.W[2]), b2: off(ctx.params.b[2]),
  };
  const { buffer: alpha, setLearningRate } = stepUniform(owner, 'lanes', ctx.learningRate);
  const source = { name: `fused_step_lanes(${activation}, ${JSON.stringify(shape)})`, code: fusedStepLanes(activation, shape) };
  const launch = (label: string, when: When, constants: Record<string, number>) =>
    kernel(owner.device, { label, source, resources: [alpha, X, Y, P, dP, metrics, status], grid: [1, 1], constants, when });
  const [step, stepWithCost, costOnly] = await Promise.all([
    launch('the whole step in one subgroup', 'no-cost', { WITH_COST: 0, UPDATE: 1 }),
    launch('the whole step in one subgroup, J and accuracy', 'cost', { WITH_COST: 1, UPDATE: 1 }),
    launch('J and accuracy in one subgroup', 'always', { WITH_COST: 1, UPDATE: 0 }),
  ]);
  return { name: 'lanes', step: [step, stepWithCost], cost: [costOnly], tensors: {}, setLearningRate };
}
