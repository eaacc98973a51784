// The small step: a whole gradient step in one dispatch of one workgroup, for any
// network whose step is small enough that launching kernels costs more than the
// arithmetic (shaders/small_step.wgsl.ts has the math). One pipeline per head and
// optimizer; the network, the batch and the penalties are written to its uniform here.
// The simple step is its tested twin: same batches, same update.
import { F32 } from '../gpu/constants.ts';
import { isFallbackDevice } from '../gpu/device.ts';
import { dimsUniform } from '../gpu/kernels.ts';
import { kernel, type Dispatch } from '../gpu/program.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { LAYER_FUNCTION_CODES, SMALL_MAX_EXAMPLES, SMALL_MAX_LAYERS, smallKernelName, smallStep, type SmallKernel } from '../../shaders/small_step.wgsl.ts';
import { batchesPerEpoch, halfBits } from '../training/shuffle.ts';
import type { LayerFunction } from '../../shaders/activations.wgsl.ts';
import type { NetworkSpec } from '../types.ts';
import { chunksCostPass, newTensor } from './forward-pass.ts';
import type { StepConfig, StepContext, StepProgram } from './step-types.ts';

/**
 * Above this many floating-point operations a step (flopsPerStep of a batch) 'auto' does
 * not take the small step: one workgroup does them all. On a fallback adapter
 * (SwiftShader: one CPU thread per workgroup) the tiled step's many workgroups catch up
 * near 0.3 MFLOP a step (docs/PERFORMANCE.md); a GPU's bound is a guess until measured.
 */
export const SMALL_MAX_FLOPS = { fallback: 300_000, gpu: 4_000_000 } as const;

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

/** The scratch buffer in vec4s: the batch's X, then Z[l], A[l], dZ[l] of every layer, each (n_l, ⌈count / 4⌉). */
export function scratchLayout(sizes: readonly number[], count: number): { c4: number; X: number; Z: number[]; A: number[]; dZ: number[]; length: number } {
  const c4 = Math.ceil(count / 4);
  const at = { c4, X: 0, Z: [0], A: [0], dZ: [0], length: sizes[0] * c4 };
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
  const L = c.net.sizes.length - 1;
  if (c.chunks !== 1) return `small needs the data in one storage binding (it comes in ${c.chunks} chunks)`;
  if (c.batchSize > SMALL_MAX_EXAMPLES) return `small takes at most ${SMALL_MAX_EXAMPLES} examples a step (their indices sit in workgroup memory), batch = ${c.batchSize}`;
  if (L > SMALL_MAX_LAYERS) return `small takes at most ${SMALL_MAX_LAYERS} layers, the network has ${L}`;
  const bytes = scratchLayout(c.net.sizes, c.batchSize).length * 4 * F32;
  if (bytes > Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize)) return `small needs Z, A and dZ of every layer for a batch in one binding (${bytes} bytes)`;
  return null;
}

/** Layer l's function: its hidden activation, or the head's output function. */
const layerFunction = (net: NetworkSpec, l: number): LayerFunction =>
  l < net.sizes.length - 1 ? net.hidden[l - 1] : net.head === 'sigmoid' ? 'sigmoid' : 'identity';

/** The uniform `net` of shaders/small_step.wgsl.ts (struct Net): 12 words, then 8 per layer. */
export function netWords(
  net: NetworkSpec,
  params: { W: { offset: number }[]; b: { offset: number }[] },
  layout: ReturnType<typeof scratchLayout>,
  m: number,
  batch: { B: number; nb: number; seed: number; h: number } | null,
  tick: boolean,
  penalty: { l2: number; l1: number },
): ArrayBuffer {
  const { sizes } = net;
  const L = sizes.length - 1;
  const words = new ArrayBuffer((12 + 8 * SMALL_MAX_LAYERS) * 4);
  const u = new Uint32Array(words);
  const weights = sizes.slice(1).reduce((sum, n, l) => sum + n * sizes[l], 0);
  u.set([L, m, layout.c4, layout.X, batch?.B ?? 0, batch?.nb ?? 0, batch?.seed ?? 0, batch?.h ?? 0, tick ? 1 : 0, penalty.l2 || penalty.l1 ? weights : 0]);
  new Float32Array(words, 10 * 4, 2).set([penalty.l2, penalty.l1]);
  for (let l = 1; l <= L; l++) {
    const g = layerFunction(net, l);
    u.set([sizes[l], sizes[l - 1], params.W[l].offset / F32, params.b[l].offset / F32, layout.Z[l], layout.A[l], layout.dZ[l], LAYER_FUNCTION_CODES[g]], 12 + 8 * (l - 1));
  }
  return words;
}

export async function smallStepProgram(ctx: StepContext): Promise<StepProgram> {
  const { owner, net, optimizer, X, Y, P, dP, metrics, status, clock } = ctx;
  const { sizes } = net;
  const m = X.cols;
  const batch = ctx.batch ? { B: ctx.batch.size, nb: batchesPerEpoch(m, ctx.batch.size), seed: ctx.batch.seed >>> 0, h: halfBits(m) } : null;
  const lastCount = batch ? m - (batch.nb - 1) * batch.B : m;
  const counts = batch ? (lastCount !== batch.B ? [batch.B, lastCount] : [batch.B]) : [m];
  const p = ctx.penalty ?? { l2: 0, l1: 0, m };
  const penalty = { l2: p.l2 / p.m, l1: p.l1 / p.m };
  const tick = batch !== null || optimizer.kind === 'adam';
  const kernelOf: SmallKernel = {
    head: net.head, optimizer: optimizer.kind, functions: sizes.slice(1).map((_, i) => layerFunction(net, i + 1)),
    penalty: p.l2 > 0 || p.l1 > 0, batches: batch !== null,
  };
  const source = { name: smallKernelName(kernelOf), code: smallStep(kernelOf) };
  const uniforms: GPUBuffer[] = [];
  const program = async (count: number) => {
    const layout = scratchLayout(sizes, count);
    // Each batch size its own scratch, so the full batches' dZ stay readable after a last batch.
    const scratch = newTensor(owner, `small step scratch (X, Z, A, dZ of ${count} examples)`, 1, 4 * layout.length);
    const netUniform = owner.bufferWith(`small step network (${count} examples)`, new Uint32Array(netWords(net, ctx.params, layout, m, batch, tick, penalty)), GPUBufferUsage.UNIFORM);
    const label = `the whole step for ${count} examples in one workgroup`;
    const launch = (cost: boolean) => {
      const dims = dimsUniform(owner, `${label}${cost ? ' with J' : ''}`, { rows: ctx.paramCount, cols: count, inner: cost ? 1 : 0, scale: ctx.learningRate, extra: [optimizer.beta1, optimizer.beta2, optimizer.epsilon] });
      uniforms.push(dims);
      return kernel(owner.device, {
        label: label + (cost ? ', J and the metric' : ''), source, grid: [1, 1], when: cost ? 'cost' : 'no-cost',
        resources: [dims, netUniform, X, Y, P, dP, scratch, metrics, status, clock],
        constants: { WG: ctx.smallWorkgroup ?? SMALL_WORKGROUP[adapterKind(owner.device)] },
      });
    };
    const dispatches: Dispatch[] = await Promise.all([launch(false), launch(true)]);
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
    // α sits in the `scale` word of each Dims uniform.
    setLearningRate: (alpha) => {
      for (const u of uniforms) owner.device.queue.writeBuffer(u, 3 * F32, new Float32Array([alpha]));
    },
  };
}
