// The orchestrator: creates every buffer and pipeline once, then records one
// command encoder per gradient step (all of the step's dispatches). Steps run in
// windows of STEPS_PER_WINDOW; after each window one small readback brings the
// logged metrics and a divergence flag. Three rotating snapshots of the
// parameters let a diverged run go back to its last finite parameters.
import { DeviceLostError, DivergenceError, InputError, TrainerStateError } from './errors.ts';
import { F32, STEPS_PER_WINDOW } from './gpu/constants.ts';
import { Owner } from './gpu/owner.ts';
import { layerViews, layoutParameters, packParameters, unpackParameters, type ParamLayout } from './gpu/param-layout.ts';
import { WindowStaging, readTensor } from './gpu/readback.ts';
import { openScopes, type CloseScopes } from './gpu/scopes.ts';
import type { Tensor } from './gpu/tensor.ts';
import { initParameters } from './model/init.ts';
import { ForwardPass, newTensor, uploadTensor, type ParameterTensors } from './network/forward-pass.ts';
import type { BackwardPass } from './network/backward-pass.ts';
import { bindingLimit, chunkSize, splitColumns } from './network/chunks.ts';
import { buildStep, type StepChunk, type StepProgram, type StepVariant } from './network/step.ts';
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
  /** Step implementation (default 'auto': chosen by shape and device). */
  variant?: StepVariant;
  /** Steps whose command buffers go in one queue submit (default 1). Each step keeps its own encoder. */
  stepsPerSubmit?: number;
  /**
   * Most bytes of one storage binding (default: the device's limit, which is
   * asked for at the adapter's maximum). Data whose (n, m) matrices are larger is
   * split into chunks of examples inside each step; lower this to bound buffers.
   */
  maxBindingBytes?: number;
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

/** Parameters read back from the GPU, and the step they belong to. */
export interface Checkpoint {
  step: number;
  params: Parameters;
}

/** How often train() refreshes `checkpoint` from a snapshot, at most. */
const CHECKPOINT_INTERVAL_MS = 1000;

interface Buffers {
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
  /** Examples per chunk. */
  chunkSize: number;
  step: StepProgram;
  staging: WindowStaging;
}

export class Trainer {
  private stepCount = 0;
  private busy = false;
  private stopRequested = false;
  private destroyed = false;
  private lost: GPUDeviceLostInfo | null = null;
  private lastCheckpoint: Checkpoint | null = null;
  private predictCache: { m: number; owner: Owner; X: Tensor; forward: ForwardPass } | null = null;

  private constructor(
    readonly device: GPUDevice,
    readonly sizes: number[],
    readonly activation: Activation,
    private learningRateValue: number,
    private readonly stepsPerSubmit: number,
    private readonly b: Buffers,
  ) {
    device.lost.then((info) => {
      this.lost = info;
    });
  }

  /** Validates everything, then builds all buffers, pipelines and bind groups once. */
  static async create(device: GPUDevice, options: TrainerOptions, data: Dataset): Promise<Trainer> {
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
        { owner, sizes, activation, learningRate, P, params: paramViews, dP, grads: { dW: gradViews.W, db: gradViews.b }, X, Y, forward, chunks, status },
        options.variant ?? 'auto',
      );
      const staging = new WindowStaging(device, STEPS_PER_WINDOW);
      const checked = close('creating the trainer');
      close = null;
      await checked;
      const forwards = chunks.map((c) => c.forward);
      const buffers: Buffers = { owner, layout, P, dP, X, Y, status, snapshots, forwards, forward, chunkSize: perChunk, step, staging };
      return new Trainer(device, sizes, activation, learningRate, stepsPerSubmit, buffers);
    } catch (error) {
      close?.('creating the trainer').catch(() => undefined); // keep the device's scope stack balanced
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

  /** Which step implementation runs, e.g. "simple". */
  get variant(): string {
    return this.b.step.name;
  }

  /** The parameters last read back during training (kept when the device is lost). */
  get checkpoint(): Checkpoint | null {
    return this.lastCheckpoint;
  }

  setLearningRate(alpha: number): void {
    validateLearningRate(alpha);
    this.assertUsable();
    this.learningRateValue = alpha;
    this.b.step.setLearningRate(alpha);
  }

  /**
   * Takes `steps` gradient steps, each one command encoder. While window k runs
   * on the GPU, window k−1's readback is awaited, so the GPU always has work
   * queued and the page stays responsive.
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
    const { device, b } = this;
    let lastCheckpointAt = performance.now();
    try {
      this.recordCopies('train start', [[b.P, b.snapshots[0]]]);
      let previous: { window: number; firstStep: number; done: Promise<{ status: number }> } | null = null;
      for (let window = 0; this.stepCount - start < steps && !stopped(); window++) {
        const firstStep = this.stepCount;
        const staging = b.staging.take();
        const logged: number[] = [];
        const close = openScopes(device);
        let pending: GPUCommandBuffer[] = [];
        for (let k = 0; k < STEPS_PER_WINDOW && this.stepCount - start < steps && !stopped(); k++) {
          const step = this.stepCount;
          const log = (step - start) % logEvery === 0;
          const encoder = device.createCommandEncoder({ label: `step ${step}` });
          const pass = encoder.beginComputePass({ label: `step ${step}` });
          b.step.record(pass, log);
          pass.end();
          if (log) {
            const offset = WindowStaging.slotOffset(logged.length);
            encoder.copyBufferToBuffer(b.forward.metrics!.buffer, 0, staging, offset, WindowStaging.SLOT);
            logged.push(step);
          }
          pending.push(encoder.finish({ label: `step ${step}` }));
          if (pending.length === this.stepsPerSubmit) {
            device.queue.submit(pending);
            pending = [];
          }
          this.stepCount++;
        }
        if (pending.length > 0) device.queue.submit(pending);
        // The status word, and P at the start of the next window.
        this.recordCopies(`window ${window} end`, [[b.P, b.snapshots[(window + 1) % 3]]], staging);
        const done = this.finishWindow(staging, logged, close('training'), report);
        // Awaited later; if an earlier window fails first, this one's rejection
        // (e.g. mapAsync after device loss) must not surface as unhandled.
        done.catch(() => undefined);
        if (previous) {
          const { status } = await previous.done;
          if (status !== 0) return await this.diverged(previous.window, previous.firstStep, done);
          if (performance.now() - lastCheckpointAt > CHECKPOINT_INTERVAL_MS) {
            await this.readCheckpoint(b.snapshots[window % 3], firstStep);
            lastCheckpointAt = performance.now();
          }
        }
        previous = { window, firstStep, done };
      }
      if (previous) {
        const { status } = await previous.done;
        if (status !== 0) return await this.diverged(previous.window, previous.firstStep, Promise.resolve());
      }
      const final = await this.evaluate();
      report({ step: this.stepCount, ...final });
      await this.readCheckpoint(b.P, this.stepCount);
      return { steps: this.stepCount - start, stopped: this.stepCount - start < steps, history };
    } catch (error) {
      if (this.destroyed) throw new TrainerStateError('the trainer was destroyed during train()');
      throw (await this.lostErrorSoon()) ?? error;
    } finally {
      this.busy = false;
    }
  }

  /** One small encoder of buffer copies (snapshots and the status word); not a step. */
  private recordCopies(label: string, copies: [Tensor, Tensor][], statusTo?: GPUBuffer): void {
    const encoder = this.device.createCommandEncoder({ label });
    for (const [from, to] of copies) encoder.copyBufferToBuffer(from.buffer, from.offset, to.buffer, to.offset, from.rows * from.cols * F32);
    if (statusTo) encoder.copyBufferToBuffer(this.b.status.buffer, 0, statusTo, 0, F32);
    this.device.queue.submit([encoder.finish({ label })]);
  }

  private async finishWindow(
    staging: GPUBuffer,
    logged: number[],
    checked: Promise<void>,
    report: (p: TrainProgress) => void,
  ): Promise<{ status: number }> {
    await checked;
    const read = await this.b.staging.read(staging, logged.length);
    // A cost can overflow (a sum of huge losses) before any Z or parameter does.
    const status = read.status !== 0 || read.metrics.some((v) => !Number.isFinite(v.cost)) ? 1 : 0;
    // A diverged window's costs are not reported: diverged() finds where it went wrong.
    if (status === 0) read.metrics.forEach((v, i) => report({ step: logged[i], ...v }));
    return { status };
  }

  /**
   * Window `window` flagged a non-finite Z or parameter. Go back to its start
   * (its snapshot is intact: only the window after it has run since), then
   * replay it one checked step at a time to find the first bad step s, and keep
   * the last parameters that are finite and have a finite cost.
   */
  private async diverged(window: number, firstStep: number, inFlight: Promise<unknown>): Promise<never> {
    const { device, b } = this;
    await inFlight.catch(() => undefined);
    const zero = new Uint32Array([0]);
    this.recordCopies('restore', [[b.snapshots[window % 3], b.P]]);
    device.queue.writeBuffer(b.status.buffer, 0, zero);
    this.stepCount = firstStep;
    // Two free snapshots hold P before the current and the previous replayed step.
    let [current, previous] = [b.snapshots[(window + 1) % 3], b.snapshots[(window + 2) % 3]];
    let havePrevious = false;
    let cause = '';
    for (;;) {
      const encoder = device.createCommandEncoder({ label: `replay step ${this.stepCount}` });
      encoder.copyBufferToBuffer(b.P.buffer, 0, current.buffer, 0, b.P.rows * F32);
      const pass = encoder.beginComputePass();
      b.step.record(pass, true);
      pass.end();
      const staging = b.staging.take();
      encoder.copyBufferToBuffer(b.status.buffer, 0, staging, 0, F32);
      encoder.copyBufferToBuffer(b.forward.metrics!.buffer, 0, staging, WindowStaging.slotOffset(0), WindowStaging.SLOT);
      device.queue.submit([encoder.finish()]);
      const { status, metrics } = await b.staging.read(staging, 1);
      const costFinite = Number.isFinite(metrics[0].cost);
      if (status === 0 && costFinite) {
        this.stepCount++;
        [current, previous] = [previous, current];
        havePrevious = true;
        continue;
      }
      cause = costFinite ? 'the update made a parameter non-finite' : 'the cost became non-finite';
      break;
    }
    const divergedAt = this.stepCount;
    // A finite cost at step s means P before step s is good; otherwise go one further back.
    const costBroke = cause.startsWith('the cost');
    const keep = costBroke && havePrevious ? previous : current;
    if (costBroke && havePrevious) this.stepCount--;
    this.recordCopies('keep the last finite parameters', [[keep, b.P]]);
    device.queue.writeBuffer(b.status.buffer, 0, zero);
    await this.readCheckpoint(b.P, this.stepCount);
    throw new DivergenceError(
      divergedAt,
      `training diverged at step ${divergedAt} (learning rate ${this.learningRateValue}): ${cause}. ` +
        `The trainer keeps the last finite parameters, those after ${this.stepCount} steps; try a smaller learning rate.`,
    );
  }

  private async readCheckpoint(t: Tensor, step: number): Promise<void> {
    this.lastCheckpoint = { step, params: unpackParameters(this.b.layout, await readTensor(this.device, t)) };
  }

  /** Asks a running train() call to stop after the step in progress. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Cost J and accuracy on the training data, or on `data` when given. */
  async evaluate(data?: Dataset): Promise<Metrics> {
    this.assertUsable();
    if (data !== undefined) return this.evaluateOn(data);
    const { b } = this;
    const close = openScopes(this.device);
    const encoder = this.device.createCommandEncoder({ label: 'evaluate' });
    const pass = encoder.beginComputePass({ label: 'evaluate' });
    for (const forward of b.forwards) {
      forward.record(pass);
      forward.recordCost(pass);
    }
    pass.end();
    const staging = b.staging.take();
    encoder.copyBufferToBuffer(b.forward.metrics!.buffer, 0, staging, WindowStaging.slotOffset(0), WindowStaging.SLOT);
    this.device.queue.submit([encoder.finish({ label: 'evaluate' })]);
    const checked = close('evaluating');
    try {
      await checked;
      return (await b.staging.read(staging, 1)).metrics[0];
    } catch (error) {
      throw (await this.lostErrorSoon()) ?? error;
    }
  }

  private async evaluateOn(data: Dataset): Promise<Metrics> {
    validateDataset(data, 'data', this.sizes[0]);
    const owner = new Owner(this.device);
    try {
      const metrics = newTensor(owner, 'eval metrics', 1, 2);
      const status = newTensor(owner, 'eval status', 1, 1);
      const close = openScopes(this.device);
      const encoder = this.device.createCommandEncoder({ label: 'evaluate data' });
      const pass = encoder.beginComputePass();
      for (const [c, part] of splitColumns(data.X, data.Y, this.sizes[0], data.m, this.b.chunkSize).entries()) {
        const X = uploadTensor(owner, 'eval X', this.sizes[0], part.m, part.X);
        const Y = uploadTensor(owner, 'eval Y', 1, part.m, part.Y);
        const sum = { m: data.m, accumulate: c > 0 };
        const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.parameterViews(), X, Y, { metrics, sum, status });
        forward.record(pass);
        forward.recordCost(pass);
      }
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      await close('evaluating data');
      const [cost, accuracy] = await readTensor(this.device, metrics);
      return { cost, accuracy };
    } catch (error) {
      throw (await this.lostErrorSoon()) ?? error;
    } finally {
      owner.destroy();
    }
  }

  /**
   * A2 = σ(Z2) for the m examples in X (n0, m), row-major. The buffers for the
   * last m are kept, so a demo can predict a grid every frame without allocating.
   */
  async predict(X: ArrayLike<number>, m: number): Promise<Float32Array> {
    return (await this.activations(X, m, true))[this.sizes.length - 1];
  }

  /**
   * A[1], …, A[L] for the m examples in X: what every unit computes (index 0
   * unused). With `outputOnly`, only A[L] is read back.
   */
  async activations(X: ArrayLike<number>, m: number, outputOnly = false): Promise<Float32Array[]> {
    this.assertUsable();
    validateSteps(m, 'm');
    const x = toFloat32Data('X', X, this.sizes[0] * m);
    const L = this.sizes.length - 1;
    const out: Float32Array[] = this.sizes.map((n, l) => new Float32Array(l === 0 || (outputOnly && l < L) ? 0 : n * m));
    // Larger sets go through in chunks of examples, each as (n0, chunk) columns.
    for (const part of splitColumns(x, new Float32Array(m), this.sizes[0], m, this.b.chunkSize)) {
      const { forward, checked } = await this.forwardOn(part.X as Float32Array<ArrayBuffer>, part.m);
      try {
        await checked;
      } catch (error) {
        throw (await this.lostErrorSoon()) ?? error;
      }
      for (let l = outputOnly ? L : 1; l <= L; l++) {
        const A = await this.read(forward.A[l]);
        for (let i = 0; i < this.sizes[l]; i++) out[l].set(A.subarray(i * part.m, (i + 1) * part.m), i * m + part.start);
      }
    }
    return out;
  }

  private async forwardOn(x: Float32Array<ArrayBuffer>, m: number): Promise<{ forward: ForwardPass; checked: Promise<void> }> {
    if (this.predictCache?.m !== m) {
      this.predictCache?.owner.destroy();
      this.predictCache = null;
      const owner = new Owner(this.device);
      const Xt = uploadTensor(owner, 'predict X', this.sizes[0], m, x);
      const status = newTensor(owner, 'predict status', 1, 1);
      const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.parameterViews(), Xt, null, { status });
      this.predictCache = { m, owner, X: Xt, forward };
    } else {
      this.device.queue.writeBuffer(this.predictCache.X.buffer, 0, x);
    }
    const close = openScopes(this.device);
    const encoder = this.device.createCommandEncoder({ label: 'predict' });
    const pass = encoder.beginComputePass();
    this.predictCache.forward.record(pass);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    return { forward: this.predictCache.forward, checked: close('predicting') };
  }

  private async read(t: Tensor): Promise<Float32Array> {
    try {
      return await readTensor(this.device, t);
    } catch (error) {
      throw (await this.lostErrorSoon()) ?? error;
    }
  }

  /** The current parameters W[l], b[l], read back from the GPU. */
  async getParameters(): Promise<Parameters> {
    this.assertUsable();
    return unpackParameters(this.b.layout, await this.read(this.b.P));
  }

  /** Replaces the parameters (same sizes). */
  setParameters(params: Parameters): void {
    this.assertUsable();
    validateParameters(params, this.sizes, 'params');
    this.device.queue.writeBuffer(this.b.P.buffer, 0, packParameters(this.b.layout, params) as Float32Array<ArrayBuffer>);
  }

  /**
   * Reads one of the step's tensors, for tests and teaching: X, Y, Z1, A1, W1, b1,
   * dW1, db1, and with the simple step dZ1, dA1, … as left by the last step.
   */
  async readTensor(name: string): Promise<Float32Array> {
    this.assertUsable();
    const t = this.tensorByName(name);
    if (!t) throw new InputError('name', 'a tensor name such as "Z1", "dW1" or "db2"', name);
    return this.read(t);
  }

  private tensorByName(name: string): Tensor | undefined {
    const { b } = this;
    if (name === 'X') return b.X;
    if (name === 'Y') return b.Y;
    const match = /^(dZ|dA|dW|db|Z|A|W|b)(\d+)$/.exec(name);
    const l = Number(match?.[2]);
    if (!match || l < 1 || l >= this.sizes.length) return undefined;
    const params = this.parameterViews();
    const grads = layerViews(b.layout, b.dP.buffer, 'd');
    const backward = (b.step as StepProgram & { backward?: BackwardPass }).backward;
    const lists: Record<string, Tensor[] | undefined> = {
      Z: b.forward.Z, A: b.forward.A, W: params.W, b: params.b, dW: grads.W, db: grads.b,
      dZ: backward?.dZ, dA: l < this.sizes.length - 1 ? backward?.dA : undefined,
    };
    return lists[match[1]]?.[l];
  }

  private parameterViews(): ParameterTensors {
    return layerViews(this.b.layout, this.b.P.buffer);
  }

  /** Number of GPU buffers this trainer holds (for leak tests). */
  get liveBuffers(): number {
    return this.b.owner.liveBuffers + (this.predictCache?.owner.liveBuffers ?? 0);
  }

  /** Frees every GPU buffer. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopRequested = true;
    this.predictCache?.owner.destroy();
    this.predictCache = null;
    this.b.staging.destroy();
    this.b.owner.destroy();
  }

  private assertUsable(): void {
    if (this.destroyed) throw new TrainerStateError('this trainer was destroyed; create a new one');
    const lost = this.lostError();
    if (lost) throw lost;
  }

  private lostError(): DeviceLostError | null {
    if (!this.lost) return null;
    const at = this.lastCheckpoint ? ` Parameters from step ${this.lastCheckpoint.step} are kept in trainer.checkpoint.` : '';
    return new DeviceLostError(`the GPU device was lost (${this.lost.reason}): ${this.lost.message}.${at}`, this.lost.reason);
  }

  /** A failed readback often arrives just before device.lost resolves: give it a moment. */
  private async lostErrorSoon(): Promise<DeviceLostError | null> {
    if (!this.lost) await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, 100))]);
    return this.lostError();
  }
}
