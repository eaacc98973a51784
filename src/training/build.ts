// Everything a trainer needs, validated and then built once: the parameter and
// gradient buffers, the data (in chunks of examples when it exceeds one storage
// binding), the forward pass per chunk, the step program, the snapshots used to
// roll back a divergence, and the metrics staging.
import { InputError } from '../errors.ts';
import { STEPS_PER_WINDOW } from '../gpu/constants.ts';
import { Owner } from '../gpu/owner.ts';
import { layerViews, layoutParameters, packParameters, type ParamLayout } from '../gpu/param-layout.ts';
import { WindowStaging } from '../gpu/readback.ts';
import { openScopes, type CloseScopes } from '../gpu/scopes.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { initParameters } from '../model/init.ts';
import { bindingLimit, chunkSize, splitColumns } from '../network/chunks.ts';
import { ForwardPass, newTensor, uploadTensor } from '../network/forward-pass.ts';
import { buildStep, type StepChunk, type StepProgram } from '../network/step.ts';
import type { Activation, Dataset } from '../types.ts';
import {
  validateActivation,
  validateDataset,
  validateInit,
  validateLearningRate,
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
  /** Three rotating copies of P: snapshots[k % 3] holds P at the start of window k. */
  snapshots: Tensor[];
  /** The forward pass of each chunk of examples; all write the same metrics. */
  forwards: ForwardPass[];
  /** forwards[0]: its metrics hold [J, accuracy] of the whole set. */
  forward: ForwardPass;
  /** Bytes one storage binding may hold (the device's limit, or the maxBindingBytes option). */
  maxBindingBytes: number;
  step: StepProgram;
  staging: WindowStaging;
}

export interface BuiltTrainer {
  sizes: number[];
  activation: Activation;
  learningRate: number;
  stepsPerSubmit: number;
  buffers: TrainerBuffers;
}

/** Validates everything (before any GPU work), then builds every buffer and pipeline. */
export async function buildTrainer(device: GPUDevice, options: TrainerOptions, data: Dataset): Promise<BuiltTrainer> {
  // Bad input fails here, before any GPU work.
  if (!options || typeof options !== 'object') throw new InputError('options', 'an object', options);
  const sizes = [...validateSizes(options.sizes)];
  const activation = validateActivation(options.activation ?? 'tanh');
  const learningRate = validateLearningRate(options.learningRate);
  const init = validateInit(options.init ?? 'course');
  const seed = validateSeed(options.seed ?? 1);
  const stepsPerSubmit = validateSteps(options.stepsPerSubmit ?? 1, 'stepsPerSubmit');
  const maxBytes = bindingLimit(device, options.maxBindingBytes === undefined ? undefined : validateSteps(options.maxBindingBytes, 'maxBindingBytes'));
  validateDataset(data, 'data', sizes[0]);
  // Before drawing the weights: a network too large for the device fails at once.
  const perChunk = chunkSize(sizes, data.m, maxBytes);
  const params = options.parameters
    ? validateParameters(options.parameters, sizes, 'options.parameters')
    : initParameters(sizes, init, seed);

  const owner = new Owner(device);
  let close: CloseScopes | null = openScopes(device);
  try {
    const layout = layoutParameters(sizes, device.limits.minStorageBufferOffsetAlignment);
    const P = uploadTensor(owner, 'parameters', layout.length, 1, packParameters(layout, params));
    const dP = uploadTensor(owner, 'gradients', layout.length, 1, new Float32Array(layout.length));
    const status = newTensor(owner, 'status', 1, 1);
    const snapshots = [0, 1, 2].map((i) => newTensor(owner, `snapshot ${i}`, layout.length, 1));
    const paramViews = layerViews(layout, P.buffer);
    const gradViews = layerViews(layout, dP.buffer, 'd');
    const metrics = newTensor(owner, 'metrics', 1, 2);
    const chunks: StepChunk[] = await Promise.all(
      splitColumns(data.X, data.Y, sizes[0], data.m, perChunk).map(async (part, c) => {
        const suffix = perChunk < data.m ? ` [${part.start}, ${part.start + part.m})` : '';
        const X = uploadTensor(owner, `X${suffix}`, sizes[0], part.m, part.X);
        const Y = uploadTensor(owner, `Y${suffix}`, 1, part.m, part.Y);
        const sum = { m: data.m, accumulate: c > 0 };
        const forward = await ForwardPass.create(owner, sizes, activation, paramViews, X, Y, { metrics, sum, status });
        return { X, Y, forward, sum };
      }),
    );
    const [{ X, Y, forward }] = chunks;
    const step = await buildStep(
      { owner, sizes, activation, learningRate, P, params: paramViews, dP, grads: { dW: gradViews.W, db: gradViews.b }, X, Y, metrics, chunks, status },
      options.variant ?? 'auto',
    );
    const staging = new WindowStaging(device, STEPS_PER_WINDOW);
    const checked = close('creating the trainer');
    close = null;
    await checked;
    const forwards = chunks.map((c) => c.forward);
    const buffers: TrainerBuffers = { owner, layout, P, dP, X, Y, status, snapshots, forwards, forward, maxBindingBytes: maxBytes, step, staging };
    return { sizes, activation, learningRate, stepsPerSubmit, buffers };
  } catch (error) {
    close?.('creating the trainer').catch(() => undefined); // keep the device's scope stack balanced
    owner.destroy();
    throw error;
  }
}
