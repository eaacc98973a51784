// The orchestrator: creates every buffer and pipeline once, then records one
// command encoder per gradient step (all of the step's dispatches, one submit).
// Metrics are read back once per window of steps, and only for logged steps.
import { DeviceLostError, GpuOutOfMemoryError, GpuValidationError, InputError, TrainerStateError } from './errors.ts';
import { F32, STEPS_PER_WINDOW } from './gpu/constants.ts';
import { sgdUpdateKernel, type Dispatch } from './gpu/kernels.ts';
import { Owner } from './gpu/owner.ts';
import { layoutParameters, packParameters, unpackParameters, type ParamLayout } from './gpu/param-layout.ts';
import { MetricsStaging, readTensor } from './gpu/readback.ts';
import { storageUsage, type Tensor } from './gpu/tensor.ts';
import { initParameters } from './model/init.ts';
import { BackwardPass, type GradientTensors } from './network/backward-pass.ts';
import { ForwardPass, uploadTensor, type ParameterTensors } from './network/forward-pass.ts';
import type { Activation, Dataset, InitScheme, Metrics, Parameters } from './types.ts';
import {
  toFloat32Data,
  validateActivation,
  validateDataset,
  validateInit,
  validateLearningRate,
  validateParameters,
  validateSeed,
  validateSizes,
  validateSteps,
} from './validate.ts';

export interface TrainerOptions {
  /** Layer sizes [n0, n1, n2]; n0 must match the data, n2 = 1. */
  sizes: number[];
  /** Hidden-layer activation g (default 'tanh'); the output layer is σ. */
  activation?: Activation;
  /** α in P ← P − α·dP. */
  learningRate: number;
  /** Weight initialization (default 'course': 0.01·N(0,1)); ignored with `parameters`. */
  init?: InitScheme;
  /** Seed of the initialization (default 1). */
  seed?: number;
  /** Start from these parameters instead of a random initialization. */
  parameters?: Parameters;
}

export interface TrainProgress extends Metrics {
  /** Number of updates applied when the cost was measured. */
  step: number;
}

export interface TrainOptions {
  /** Gradient steps to take. */
  steps: number;
  /** Read the cost back every this many steps (default steps/100). */
  logEvery?: number;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  /** Steps taken by this call. */
  steps: number;
  /** True when stopped (stop() or the signal) before `steps`. */
  stopped: boolean;
  /** Every logEvery steps from this call's first step, and the final step. */
  history: TrainProgress[];
}

export class Trainer {
  private stepCount = 0;
  private busy = false;
  private stopRequested = false;
  private destroyed = false;
  private lost: GPUDeviceLostInfo | null = null;
  private predictCache: { m: number; owner: Owner; X: Tensor; forward: ForwardPass } | null = null;

  private constructor(
    readonly device: GPUDevice,
    readonly sizes: number[],
    readonly activation: Activation,
    private learningRateValue: number,
    private readonly owner: Owner,
    private readonly layout: ParamLayout,
    private readonly P: Tensor,
    private readonly dP: Tensor,
    private readonly data: { X: Tensor; Y: Tensor; m: number },
    private readonly forward: ForwardPass,
    private readonly backward: BackwardPass,
    private readonly update: { dispatch: Dispatch; setLearningRate(alpha: number): void },
    private readonly staging: MetricsStaging,
  ) {
    device.lost.then((info) => {
      this.lost = info;
    });
  }

  /** Validates everything, then builds all buffers, pipelines and bind groups once. */
  static async create(device: GPUDevice, options: TrainerOptions, data: Dataset): Promise<Trainer> {
    // Bad input fails here, before any GPU work.
    if (!options || typeof options !== 'object') throw new InputError('options', 'an object', options);
    validateSizes(options.sizes);
    const sizes = [...options.sizes];
    const activation = options.activation ?? 'tanh';
    validateActivation(activation);
    validateLearningRate(options.learningRate);
    const init = options.init ?? 'course';
    validateInit(init);
    const seed = options.seed ?? 1;
    validateSeed(seed);
    validateDataset(data, 'data', sizes[0]);
    const params = options.parameters
      ? (validateParameters(options.parameters, sizes, 'options.parameters'), options.parameters)
      : initParameters(sizes, init, seed);
    const layout = layoutParameters(sizes, device.limits.minStorageBufferOffsetAlignment);
    checkFits(device, sizes, data.m);

    const owner = new Owner(device);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let scopes: Promise<GPUError | null>[] | null = null;
    try {
      const L = sizes.length - 1;
      const m = data.m;
      const P = uploadTensor(owner, 'parameters', layout.length, 1, packParameters(layout, params));
      const dP = uploadTensor(owner, 'gradients', layout.length, 1, new Float32Array(layout.length));
      const view = (buffer: Tensor, prefix: string, slots: ParamLayout['W']): Tensor[] =>
        slots.map((s, l) => ({ label: `${prefix}${l}`, buffer: buffer.buffer, offset: s.offset * F32, rows: s.rows, cols: s.cols }));
      const tensors: ParameterTensors = { W: view(P, 'W', layout.W), b: view(P, 'b', layout.b) };
      const grads: GradientTensors = { dW: view(dP, 'dW', layout.W), db: view(dP, 'db', layout.b) };
      const X = uploadTensor(owner, 'X', sizes[0], m, data.X);
      const Y = uploadTensor(owner, 'Y', sizes[L], m, data.Y);
      const forward = await ForwardPass.create(owner, sizes, activation, tensors, X, Y);
      const backward = await BackwardPass.create(owner, sizes, activation, tensors, grads, forward, Y);
      const update = await sgdUpdateKernel(owner, 'update P ← P − α·dP', { P, dP }, options.learningRate);
      const staging = new MetricsStaging(device, STEPS_PER_WINDOW);
      scopes = popScopes(device);
      await throwErrors(scopes, 'creating the trainer');
      return new Trainer(device, sizes, activation, options.learningRate, owner, layout, P, dP,
        { X, Y, m }, forward, backward, update, staging);
    } catch (error) {
      if (!scopes) popScopes(device); // keep the device's scope stack balanced
      owner.destroy();
      throw error;
    }
  }

  /** Gradient steps taken so far. */
  get stepsDone(): number {
    return this.stepCount;
  }

  get learningRate(): number {
    return this.learningRateValue;
  }

  setLearningRate(alpha: number): void {
    validateLearningRate(alpha);
    this.assertUsable();
    this.learningRateValue = alpha;
    this.update.setLearningRate(alpha);
  }

  /**
   * One gradient step, in the order of the notes. `withCost` also records J and
   * the accuracy of the parameters before this step's update.
   */
  private recordStep(pass: GPUComputePassEncoder, withCost: boolean): void {
    // Forward propagation: Z1 = W1·X + b1, A1 = g(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2)
    this.forward.record(pass);
    if (withCost) this.forward.recordCost(pass);
    // Backward propagation: dZ2 = A2 − Y, dW2, db2, dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1), dW1, db1
    this.backward.record(pass);
    // Update: P ← P − α·dP for W1, b1, W2, b2 at once
    this.update.dispatch.record(pass);
  }

  /**
   * Takes `steps` gradient steps. Each step is one command encoder and one submit.
   * Every STEPS_PER_WINDOW steps the call waits for the window before the last
   * one, so the GPU always has queued work and the page stays responsive.
   */
  async train(options: TrainOptions): Promise<TrainResult> {
    this.assertUsable();
    const steps = validateSteps(options?.steps, 'steps');
    const logEvery = validateSteps(options.logEvery ?? Math.max(1, Math.round(steps / 100)), 'logEvery');
    if (this.busy) throw new TrainerStateError('a training call is already running on this trainer; await it or stop() it first');
    this.busy = true;
    this.stopRequested = false;
    const start = this.stepCount;
    const history: TrainProgress[] = [];
    const report = (p: TrainProgress) => {
      history.push(p);
      options.onProgress?.(p);
    };
    const stopped = () => this.stopRequested || options.signal?.aborted === true;
    const device = this.device;
    const metrics = this.forward.metrics!;
    try {
      let previous: Promise<void> | null = null;
      while (this.stepCount - start < steps && !stopped()) {
        const staging = this.staging.take();
        const logged: number[] = [];
        device.pushErrorScope('out-of-memory');
        device.pushErrorScope('validation');
        for (let k = 0; k < STEPS_PER_WINDOW && this.stepCount - start < steps && !stopped(); k++) {
          const step = this.stepCount;
          const log = (step - start) % logEvery === 0;
          const encoder = device.createCommandEncoder({ label: `step ${step}` });
          const pass = encoder.beginComputePass({ label: `step ${step}` });
          this.recordStep(pass, log);
          pass.end();
          if (log) {
            encoder.copyBufferToBuffer(metrics.buffer, 0, staging, logged.length * MetricsStaging.SLOT, MetricsStaging.SLOT);
            logged.push(step);
          }
          device.queue.submit([encoder.finish({ label: `step ${step}` })]);
          this.stepCount++;
        }
        const scopes = popScopes(device);
        const window = this.finishWindow(staging, logged, scopes, report);
        if (previous) await previous;
        previous = window;
      }
      if (previous) await previous;
      const final = await this.evaluate();
      report({ step: this.stepCount, ...final });
      return { steps: this.stepCount - start, stopped: this.stepCount - start < steps, history };
    } catch (error) {
      throw this.lostError() ?? error;
    } finally {
      this.busy = false;
    }
  }

  private async finishWindow(
    staging: GPUBuffer,
    logged: number[],
    scopes: Promise<GPUError | null>[],
    report: (p: TrainProgress) => void,
  ): Promise<void> {
    await throwErrors(scopes, 'training');
    const values = await this.staging.read(staging, logged.length);
    values.forEach((v, i) => report({ step: logged[i], ...v }));
  }

  /** Asks a running train() call to stop after the step in progress. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Cost J and accuracy on the training data, or on `data` when given. */
  async evaluate(data?: Dataset): Promise<Metrics> {
    this.assertUsable();
    if (data !== undefined) return this.evaluateOn(data);
    const encoder = this.device.createCommandEncoder({ label: 'evaluate' });
    const pass = encoder.beginComputePass({ label: 'evaluate' });
    this.forward.record(pass);
    this.forward.recordCost(pass);
    pass.end();
    const staging = this.staging.take();
    encoder.copyBufferToBuffer(this.forward.metrics!.buffer, 0, staging, 0, MetricsStaging.SLOT);
    this.device.queue.submit([encoder.finish()]);
    try {
      const [metrics] = await this.staging.read(staging, 1);
      return metrics;
    } catch (error) {
      throw this.lostError() ?? error;
    }
  }

  private async evaluateOn(data: Dataset): Promise<Metrics> {
    validateDataset(data, 'data', this.sizes[0]);
    checkFits(this.device, this.sizes, data.m);
    const owner = new Owner(this.device);
    try {
      const X = uploadTensor(owner, 'eval X', this.sizes[0], data.m, data.X);
      const Y = uploadTensor(owner, 'eval Y', 1, data.m, data.Y);
      const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.parameterTensors(), X, Y);
      const encoder = this.device.createCommandEncoder({ label: 'evaluate data' });
      const pass = encoder.beginComputePass();
      forward.record(pass);
      forward.recordCost(pass);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      const [cost, accuracy] = await readTensor(this.device, forward.metrics!);
      return { cost, accuracy };
    } catch (error) {
      throw this.lostError() ?? error;
    } finally {
      owner.destroy();
    }
  }

  /**
   * A2 = σ(Z2) for the m examples in X (n0, m), row-major. The buffers for the
   * last m are kept, so a demo can predict a grid every frame without allocating.
   */
  async predict(X: ArrayLike<number>, m: number): Promise<Float32Array> {
    this.assertUsable();
    validateSteps(m, 'm');
    const x = toFloat32Data('X', X, this.sizes[0] * m);
    checkFits(this.device, this.sizes, m);
    if (this.predictCache?.m !== m) {
      this.predictCache?.owner.destroy();
      this.predictCache = null;
      const owner = new Owner(this.device);
      const Xt = uploadTensor(owner, 'predict X', this.sizes[0], m, x);
      const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.parameterTensors(), Xt, null);
      this.predictCache = { m, owner, X: Xt, forward };
    } else {
      this.device.queue.writeBuffer(this.predictCache.X.buffer, 0, x as Float32Array<ArrayBuffer>);
    }
    const encoder = this.device.createCommandEncoder({ label: 'predict' });
    const pass = encoder.beginComputePass();
    this.predictCache.forward.record(pass);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    try {
      return await readTensor(this.device, this.predictCache.forward.output);
    } catch (error) {
      throw this.lostError() ?? error;
    }
  }

  /** The current parameters W[l], b[l], read back from the GPU. */
  async getParameters(): Promise<Parameters> {
    this.assertUsable();
    return unpackParameters(this.layout, await readTensor(this.device, this.P));
  }

  /** Replaces the parameters (same sizes). */
  setParameters(params: Parameters): void {
    this.assertUsable();
    validateParameters(params, this.sizes, 'params');
    this.device.queue.writeBuffer(this.P.buffer, 0, packParameters(this.layout, params) as Float32Array<ArrayBuffer>);
  }

  /**
   * Reads one of the step's tensors, for tests and teaching: X, Y, Z1, A1, dZ1,
   * dA1, W1, b1, dW1, db1, … as left by the last recorded step.
   */
  async readTensor(name: string): Promise<Float32Array> {
    this.assertUsable();
    const t = this.tensorByName(name);
    if (!t) throw new InputError('name', 'a tensor name such as "Z1", "dW1" or "db2"', name);
    return readTensor(this.device, t);
  }

  private tensorByName(name: string): Tensor | undefined {
    const match = /^(dZ|dA|dW|db|Z|A|W|b)(\d+)$/.exec(name);
    if (name === 'X') return this.data.X;
    if (name === 'Y') return this.data.Y;
    if (!match) return undefined;
    const l = Number(match[2]);
    if (l < 1 || l >= this.sizes.length) return undefined;
    const params = this.parameterTensors();
    const lists: Record<string, Tensor[]> = {
      Z: this.forward.Z, A: this.forward.A, dZ: this.backward.dZ, dA: this.backward.dA,
      W: params.W, b: params.b, dW: this.gradientTensors().dW, db: this.gradientTensors().db,
    };
    return match[1] === 'dA' && l === this.sizes.length - 1 ? undefined : lists[match[1]][l];
  }

  private parameterTensors(): ParameterTensors {
    const at = (prefix: string, s: ParamLayout['W'][number], l: number): Tensor =>
      ({ label: `${prefix}${l}`, buffer: this.P.buffer, offset: s.offset * F32, rows: s.rows, cols: s.cols });
    return { W: this.layout.W.map((s, l) => at('W', s, l)), b: this.layout.b.map((s, l) => at('b', s, l)) };
  }

  private gradientTensors(): GradientTensors {
    const at = (prefix: string, s: ParamLayout['W'][number], l: number): Tensor =>
      ({ label: `${prefix}${l}`, buffer: this.dP.buffer, offset: s.offset * F32, rows: s.rows, cols: s.cols });
    return { dW: this.layout.W.map((s, l) => at('dW', s, l)), db: this.layout.b.map((s, l) => at('db', s, l)) };
  }

  /** Number of GPU buffers this trainer holds (for leak tests). */
  get liveBuffers(): number {
    return this.owner.liveBuffers + (this.predictCache?.owner.liveBuffers ?? 0);
  }

  /** Frees every GPU buffer. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopRequested = true;
    this.predictCache?.owner.destroy();
    this.predictCache = null;
    this.staging.destroy();
    this.owner.destroy();
  }

  private assertUsable(): void {
    if (this.destroyed) throw new TrainerStateError('this trainer was destroyed; create a new one');
    const lost = this.lostError();
    if (lost) throw lost;
  }

  private lostError(): DeviceLostError | null {
    if (!this.lost) return null;
    return new DeviceLostError(`the GPU device was lost (${this.lost.reason}): ${this.lost.message}`, this.lost.reason);
  }
}

/** Every buffer must fit one storage binding of this device. */
function checkFits(device: GPUDevice, sizes: number[], m: number): void {
  const max = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const widest = Math.max(...sizes);
  const bytes = widest * m * F32;
  if (bytes > max) {
    throw new InputError('data', `at most ${Math.floor(max / (widest * F32))} examples for a layer of ${widest} units ` +
      `on this device (maxStorageBufferBindingSize ${max} bytes)`, m, `one (${widest}, m) matrix would take ${bytes} bytes`);
  }
}

function popScopes(device: GPUDevice): Promise<GPUError | null>[] {
  const validation = device.popErrorScope();
  const oom = device.popErrorScope();
  return [validation, oom];
}

async function throwErrors(scopes: Promise<GPUError | null>[], during: string): Promise<void> {
  const [validation, oom] = await Promise.all(scopes);
  if (oom) throw new GpuOutOfMemoryError(`out of GPU memory while ${during}: ${oom.message}`);
  if (validation) throw new GpuValidationError(`WebGPU validation error while ${during}: ${validation.message}`);
}
