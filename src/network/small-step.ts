// The small step: a whole gradient step in one dispatch of one workgroup, for any
// network whose step is small enough that launching kernels costs more than the
// arithmetic (shaders/small_step.wgsl.ts has the math). The simple step is its
// tested twin: same batches, same sums, same update.
import { F32 } from '../gpu/constants.ts';
import { isFallbackDevice } from '../gpu/device.ts';
import { dimsUniform } from '../gpu/kernels.ts';
import { kernel, type Dispatch, type When } from '../gpu/program.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { smallStep, type SmallStepShape } from '../../shaders/small_step.wgsl.ts';
import { batchesPerEpoch, halfBits } from '../training/shuffle.ts';
import { chunksCostPass, newTensor } from './forward-pass.ts';
import type { StepConfig, StepContext, StepProgram } from './step-types.ts';

/**
 * Most examples a small step takes: their columns' indices sit in workgroup memory
 * (4 KB of the 16 KB every device has; the cost's partial sums take 8·WG bytes more).
 */
export const SMALL_MAX_EXAMPLES = 1024;

/** The scratch buffer in vec4s: the batch's X, then Z[l], A[l], dZ[l] of every layer, each (n_l, ⌈count / 4⌉). */
export function scratchLayout(sizes: number[], count: number): { X: number; Z: number[]; A: number[]; dZ: number[]; length: number } {
  const c4 = Math.ceil(count / 4);
  const at = { X: 0, Z: [0], A: [0], dZ: [0], length: sizes[0] * c4 };
  const place = (rows: number) => {
    const offset = at.length;
    at.length += rows * c4;
    return offset;
  };
  for (let l = 1; l < sizes.length; l++) {
    at.Z.push(place(sizes[l]));
    at.A.push(place(sizes[l]));
    at.dZ.push(place(sizes[l]));
  }
  return at;
}

/** null when the small step can run the configuration, else what it lacks. */
export function smallLacks(c: StepConfig, limits: GPUSupportedLimits): string | null {
  if (c.chunks !== 1) return `small needs the data in one storage binding (it comes in ${c.chunks} chunks)`;
  if (c.batchSize > SMALL_MAX_EXAMPLES) return `small takes at most ${SMALL_MAX_EXAMPLES} examples a step (their indices sit in workgroup memory), batch = ${c.batchSize}`;
  const bytes = scratchLayout(c.net.sizes, c.batchSize).length * 4 * F32;
  if (bytes > Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize)) return `small needs Z, A and dZ of every layer for a batch in one binding (${bytes} bytes)`;
  return null;
}

/**
 * Above this many floating-point operations a step 'auto' does not take the small step:
 * one workgroup does them all. On a fallback adapter (SwiftShader: one CPU thread per
 * workgroup) the tiled step's many workgroups catch up near 0.5 MFLOP a step
 * (docs/PERFORMANCE.md); a GPU's bound is a guess until it is measured there.
 */
export const SMALL_MAX_FLOPS = { fallback: 500_000, gpu: 4_000_000 } as const;

/**
 * Invocations of the small step's workgroup. SwiftShader runs a workgroup as groups of
 * four lanes on one thread: one group (4) is about twice as fast as 64, which pays for
 * the groups' switches at every barrier (docs/PERFORMANCE.md). A GPU wants its lanes busy.
 */
export const SMALL_WORKGROUP = { fallback: 4, gpu: 64 } as const;

const adapterKind = (device: GPUDevice) => (isFallbackDevice(device) ? 'fallback' : 'gpu');

/** The most floating-point operations a step may have for 'auto' to take the small step on this device. */
export function smallMaxFlops(device: GPUDevice): number {
  return SMALL_MAX_FLOPS[adapterKind(device)];
}

/** Floating-point operations of one step: forward, dW and Wᵀ·dZ, 2·n_l·n_{l−1} per example each. */
export function stepFlops(sizes: readonly number[], count: number): number {
  let macs = 0;
  for (let l = 1; l < sizes.length; l++) macs += sizes[l] * sizes[l - 1];
  return 6 * macs * count;
}

export async function smallStepProgram(ctx: StepContext): Promise<StepProgram> {
  const { owner, net, optimizer, X, Y, P, dP, metrics, status, clock } = ctx;
  const { sizes } = net;
  const m = X.cols;
  const off = (t: { offset: number }) => t.offset / F32;
  const batch = ctx.batch ? { B: ctx.batch.size, nb: batchesPerEpoch(m, ctx.batch.size), seed: ctx.batch.seed >>> 0, h: halfBits(m) } : null;
  const lastCount = batch ? m - (batch.nb - 1) * batch.B : m;
  const counts = batch ? (lastCount !== batch.B ? [batch.B, lastCount] : [batch.B]) : [m];
  const p = ctx.penalty && (ctx.penalty.l2 > 0 || ctx.penalty.l1 > 0) ? ctx.penalty : null;
  const uniform = dimsUniform(owner, 'small step', { rows: ctx.paramCount, cols: 1, scale: ctx.learningRate, extra: [optimizer.beta1, optimizer.beta2, optimizer.epsilon] });
  const program = async (count: number) => {
    const layout = scratchLayout(sizes, count);
    // Each batch size its own scratch, so the full batches' dZ stay readable after a last batch.
    const scratch = newTensor(owner, `small step scratch (X, Z, A, dZ of ${count} examples)`, 1, 4 * layout.length);
    const resources = [uniform, X, Y, P, dP, scratch, metrics, status, clock];
    const shape: SmallStepShape = {
      sizes, hidden: net.hidden, head: net.head, optimizer: optimizer.kind,
      W: ctx.params.W.map(off), b: ctx.params.b.map(off), m, count, batch,
      penalty: p && { gradient: [p.l2 / p.m, p.l1 / p.m], cost: [p.l2 / (2 * p.m), p.l1 / p.m] },
      tick: batch !== null || optimizer.kind === 'adam',
      X: layout.X, Z: layout.Z, A: layout.A, dZ: layout.dZ,
    };
    const source = { name: `small_step(${[...new Set(net.hidden), net.head, optimizer.kind].join(', ')}, ${JSON.stringify(shape)})`, code: smallStep(shape) };
    const label = `the whole step for ${count} examples in one workgroup`;
    const launch = (when: When, suffix: string) => kernel(owner.device, { label: label + suffix, source, resources, grid: [1, 1], constants: { WG: SMALL_WORKGROUP[adapterKind(owner.device)], WITH_COST: when === 'cost' ? 1 : 0 }, when });
    const dispatches: Dispatch[] = await Promise.all([launch('no-cost', ''), launch('cost', ', J and the metric')]);
    // dZ[l] as (n_l, count) where no vec4 is part padding.
    const dZ: Record<string, Tensor> = {};
    if (count % 4 === 0) for (let l = 1; l < sizes.length; l++) dZ[`dZ${l}`] = { label: `dZ${l}`, buffer: scratch.buffer, offset: layout.dZ[l] * 4 * F32, rows: sizes[l], cols: count };
    return { dispatches, dZ };
  };
  const [full, last] = await Promise.all(counts.map(program));
  const costPass = chunksCostPass(ctx.chunks);
  return {
    name: 'small',
    step: full.dispatches,
    lastBatch: batch && last ? { every: batch.nb, step: last.dispatches } : undefined,
    cost: costPass.cost,
    tensors: { ...costPass.tensors, ...full.dZ },
    setLearningRate: (alpha) => owner.device.queue.writeBuffer(uniform, 3 * F32, new Float32Array([alpha])),
  };
}
