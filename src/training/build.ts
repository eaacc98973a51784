// Everything a trainer needs, validated and then built once: the parameter and
// gradient buffers, the data (in chunks of examples when it exceeds one storage
// binding), the forward pass per chunk, the step program, the snapshots used to
// roll back a divergence, and the metrics staging.
import { InputError } from '../errors.ts';
import { Owner } from '../gpu/owner.ts';
import { layerViews, layoutParameters, packParameters, weightMask, type ParamLayout } from '../gpu/param-layout.ts';
import { WindowStaging } from '../gpu/readback.ts';
import { openScopes, type CloseScopes } from '../gpu/scopes.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { initParameters } from '../model/init.ts';
import { bindingLimit, chunkSize, splitColumns } from '../network/chunks.ts';
import { xBlockFill } from '../network/seed/sparse-lists.ts';
import { checkMemory, DEFAULT_MEMORY_BUDGET } from './memory.ts';
import { ForwardPass, newTensor, uploadTensor } from '../network/forward-pass.ts';
import { explainChoice, variantFor, type StepChunk, type StepConfig, type StepProgram, type StepVariant } from '../network/step.ts';
import { F32, STEPS_PER_WINDOW, U32 } from '../gpu/constants.ts';
import { storageUsage } from '../gpu/tensor.ts';
import { labelRows, optimizerSlots, type Activation, type Dataset, type NetworkSpec, type Optimizer, type OptimizerState, type Parameters } from '../types.ts';
import {
  validateBatchSize,
  validateDataset,
  validateHead,
  validateHidden,
  validateInit,
  validateL2,
  validateLearningRate,
  validateOptimizer,
  validateOptimizerState,
  validateParameters,
  validateSeed,
  validateSizes,
  validateSteps,
} from '../validate.ts';
import type { TrainerOptions } from './options.ts';

export interface TrainerBuffers {
  owner: Owner;
  layout: ParamLayout;
  P: Tensor;
  dP: Tensor;
  X: Tensor;
  Y: Tensor;
  status: Tensor;
  /** clock[0]: updates taken since the run began (counts from state.t when resumed). */
  clock: Tensor;
  /** The clock's value when this trainer was created: step s of this trainer is update clockStart + s. */
  clockStart: number;
  /** clock[1]: the update count at which the optimizer's state began (OptimizerState.start). */
  optimizerStart: number;
  /** Copies of the parameters in P: 1, then v (momentum, Adam), then s (Adam). */
  slots: number;
  /** Three rotating copies of P (parameters and optimizer state): snapshots[k % 3] holds P at the start of window k. */
  snapshots: Tensor[];
  /** [J, metric]: the one metrics tensor every cost dispatch of the step and its cost pass writes. */
  metrics: Tensor;
  /** Bytes one storage binding may hold (the device's limit, or the maxBindingBytes option). */
  maxBindingBytes: number;
  step: StepProgram;
  staging: WindowStaging;
}

export interface BuiltTrainer {
  sizes: number[];
  net: NetworkSpec;
  optimizer: Optimizer;
  l2: number;
  l1: number;
  batchSize: number;
  activation: Activation;
  learningRate: number;
  stepsPerSubmit: number;
  buffers: TrainerBuffers;
  /** The variant the options asked for ('auto' unless forced): evaluation follows it. */
  requested: StepVariant;
  /** Which variant runs and why (the first lines of --explain), said when asked. */
  choice: () => string[];
}

/** xBlockFill of X for the seed's network (the only one the sparse step runs), else 1. */
export function seedShapedFill(net: NetworkSpec, data: { X: ArrayLike<number>; m: number }): number {
  const { sizes, head } = net;
  return sizes.length === 3 && sizes[2] === 1 && head === 'sigmoid' ? xBlockFill(data.X, sizes[0], data.m) : 1;
}

/** A workgroup size: a power of two from 1 to the device's most invocations per workgroup (and along x). */
function validateWorkgroupSize(value: unknown, name: string, limits: GPUSupportedLimits): number {
  const most = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > most || (value & (value - 1)) !== 0) {
    throw new InputError(name, `a power of two from 1 to ${most}`, value);
  }
  return value;
}

/** Validates everything (before any GPU work), then builds every buffer and pipeline. */
export async function buildTrainer(device: GPUDevice, options: TrainerOptions, data: Dataset): Promise<BuiltTrainer> {
  // Bad input fails here, before any GPU work.
  if (!options || typeof options !== 'object') throw new InputError('options', 'an object', options);
  const sizes = [...validateSizes(options.sizes)];
  const head = validateHead(options.head ?? 'sigmoid', sizes);
  const hidden = validateHidden(options.activation ?? 'tanh', sizes);
  const net: NetworkSpec = { sizes, hidden, head };
  // The name of the hidden activation (the first layer's; the option's for logistic regression).
  const activation = hidden[0] ?? (typeof options.activation === 'string' ? options.activation : 'tanh');
  const learningRate = validateLearningRate(options.learningRate);
  const optimizer = validateOptimizer(options.optimizer ?? 'sgd');
  const l2 = validateL2(options.l2 ?? 0);
  const l1 = validateL2(options.l1 ?? 0, 'l1');
  const init = validateInit(options.init ?? 'course');
  const seed = validateSeed(options.seed ?? 1);
  const stepsPerSubmit = validateSteps(options.stepsPerSubmit ?? STEPS_PER_WINDOW, 'stepsPerSubmit');
  const maxBytes = bindingLimit(device, options.maxBindingBytes === undefined ? undefined : validateSteps(options.maxBindingBytes, 'maxBindingBytes'));
  const smallWorkgroup = options.smallWorkgroup === undefined ? undefined : validateWorkgroupSize(options.smallWorkgroup, 'smallWorkgroup', device.limits);
  validateDataset(data, 'data', sizes[0], net);
  const batchSize = validateBatchSize(options.batchSize ?? data.m, data.m);
  // Before drawing the weights: a network too large for the device fails at once.
  const maxMemory = options.maxMemoryBytes === undefined ? DEFAULT_MEMORY_BUDGET : validateSteps(options.maxMemoryBytes, 'maxMemoryBytes');
  checkMemory({ sizes, m: data.m, batchSize, slots: 1 + optimizerSlots(optimizer.kind), yRows: labelRows(net), penalty: l2 > 0 || l1 > 0 }, device.limits, maxMemory);
  const perChunk = chunkSize(sizes, data.m, maxBytes);
  if (batchSize < data.m && perChunk < data.m) {
    throw new InputError('batchSize', `the full batch (${data.m}) for data larger than one storage binding (${maxBytes} bytes): mini-batches gather from X in one binding`, batchSize);
  }
  const asked = options.variant ?? 'auto';
  // X's block fill matters only where the chooser may take the sparse step.
  const xFill = asked === 'auto' || asked === 'sparse' ? seedShapedFill(net, data) : 1;
  const config: StepConfig = { net, optimizer, l2, l1, batchSize, m: data.m, chunks: Math.ceil(data.m / perChunk), xFill };
  const variant = variantFor(config, device, asked);
  const params = options.parameters
    ? validateParameters(options.parameters, sizes, 'options.parameters')
    : initParameters(sizes, init, seed);
  const state: OptimizerState = options.state ? validateOptimizerState(options.state, optimizer, sizes, 'options.state') : { t: 0 };
  const slots = 1 + optimizerSlots(optimizer.kind);

  const owner = new Owner(device);
  let close: CloseScopes | null = openScopes(device);
  try {
    const layout = layoutParameters(sizes, device.limits.minStorageBufferOffsetAlignment);
    const n = layout.length;
    // P = [parameters | v | s]: one buffer, so snapshots and checkpoints hold the optimizer's state too.
    const packed = new Float32Array(n * slots);
    const copies: (Parameters | undefined)[] = [params, state.v, state.s];
    for (let k = 0; k < slots; k++) if (copies[k]) packed.set(packParameters(layout, copies[k]!), k * n);
    const P = uploadTensor(owner, 'parameters', n * slots, 1, packed);
    const dP = uploadTensor(owner, 'gradients', n, 1, new Float32Array(n));
    const status = newTensor(owner, 'status', 1, 1);
    const clock = { label: 'clock', buffer: owner.bufferWith('clock', new Uint32Array([state.t, state.start ?? 0, 0, 0]), storageUsage()), offset: 0, rows: 1, cols: 4 };
    const snapshots = [0, 1, 2].map((i) => newTensor(owner, `snapshot ${i}`, n * slots, 1));
    const paramViews = layerViews(layout, P.buffer);
    const gradViews = layerViews(layout, dP.buffer, 'd');
    const metrics = newTensor(owner, 'metrics', 1, 2);
    const penalty = l2 > 0 || l1 > 0 ? { P: { ...P, rows: n }, mask: uploadTensor(owner, 'penalty mask (1 on weights)', n, 1, weightMask(layout)), l2, l1, m: data.m } : undefined;
    const yRows = labelRows(net);
    const chunks: StepChunk[] = await Promise.all(
      splitColumns(data.X, data.Y, sizes[0], data.m, perChunk, yRows).map(async (part, c) => {
        const suffix = perChunk < data.m ? ` [${part.start}, ${part.start + part.m})` : '';
        const X = uploadTensor(owner, `X${suffix}`, sizes[0], part.m, part.X);
        const Y = uploadTensor(owner, `Y${suffix}`, yRows, part.m, part.Y);
        const sum = { m: data.m, accumulate: c > 0 };
        const forward = await ForwardPass.create(owner, net, paramViews, X, Y, { metrics, sum, status, penalty: c === 0 ? penalty : undefined, matmul: variant.matmul });
        return { X, Y, forward, sum };
      }),
    );
    const [{ X, Y }] = chunks;
    const step = await variant.build({
      owner, net, sizes, activation, optimizer, learningRate, P, params: paramViews, paramCount: n, dP,
      grads: { dW: gradViews.W, db: gradViews.b }, X, Y, metrics, chunks, status, clock, penalty, smallWorkgroup,
      batch: batchSize < data.m ? { size: batchSize, seed } : undefined,
    });
    const staging = new WindowStaging(device, STEPS_PER_WINDOW);
    const checked = close('creating the trainer');
    close = null;
    await checked;
    const buffers: TrainerBuffers = {
      owner, layout, P, dP, X, Y, status, clock, clockStart: state.t, optimizerStart: state.start ?? 0, slots, snapshots, metrics, maxBindingBytes: maxBytes, step, staging,
    };
    return { sizes, net, optimizer, l2, l1, batchSize, activation, learningRate, stepsPerSubmit, buffers, requested: asked, choice: () => explainChoice(config, device, asked) };
  } catch (error) {
    close?.('creating the trainer').catch(() => undefined); // keep the device's scope stack balanced
    owner.destroy();
    throw error;
  }
}
