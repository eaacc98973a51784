// The orchestrator: creates every buffer and pipeline once, then records one
// command encoder per gradient step (all of the step's dispatches). Steps run in
// windows of at most STEPS_PER_WINDOW, sized by the step's floating-point work to about
// 0.1 s on the device (WINDOW_FLOPS: stop() acts within two windows, one running and one
// queued, whatever a step costs; a window's boundaries depend on the network, the batch and
// the kind of adapter, never on a clock); after each window one small readback brings the
// logged metrics and a divergence flag. Three rotating snapshots of the
// parameters let a diverged run go back to its last finite parameters.
import { DeviceLostError, DivergenceError, InputError, TrainerStateError } from './errors.ts';
import { STEPS_PER_WINDOW } from './gpu/constants.ts';
import { isFallbackDevice } from './gpu/device.ts';
import { flopsPerStep } from './perf/flops.ts';
import { layerViews, packParameters, unpackParameters } from './gpu/param-layout.ts';
import { WindowStaging, readTensor } from './gpu/readback.ts';
import { profileDispatches, type KernelTime } from './gpu/profile.ts';
import { checkedWrite, openScopes } from './gpu/scopes.ts';
import type { Tensor } from './gpu/tensor.ts';
import type { ParameterTensors } from './network/forward-pass.ts';
import type { StepVariant } from './network/step-types.ts';
import { explainProgram } from './gpu/explain.ts';
import { dispatchesAt, kernelsOf, plainStep, recordCost, recordDispatches, recordStep, type StepProgram } from './gpu/program.ts';
import { buildTrainer, type TrainerBuffers } from './training/build.ts';
import { recordCopies, replayDivergence } from './training/divergence.ts';
import { Evaluator, type CostProgram } from './training/evaluator.ts';
import type { Checkpoint, TrainerOptions, TrainOptions, TrainProgress, TrainResult } from './training/options.ts';
import type { Activation, Dataset, Head, Metrics, NetworkSpec, Optimizer, OptimizerState, Parameters } from './types.ts';
import { targetVariance, toMetrics, type RawMetrics } from './training/metrics.ts';
import { validateDataset, validateHead, validateSizes, validateLearningRate, validateParameters, validateSteps } from './validate.ts';
import { fitStandardization, standardizeData, validateStandardization, type Standardization } from './data/standardize.ts';

export type { Checkpoint, TrainerOptions, TrainOptions, TrainProgress, TrainResult };

/** How often train() refreshes `checkpoint` from a snapshot, at most. */
const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * Floating-point work of one window of steps: about 0.1 s on a fallback adapter
 * (SwiftShader runs these steps at 2–3 GFLOP/s, bench/results) and on a GPU a hundred
 * times that. MNIST's 784-128-10 on batches of 128 (53 MFLOP a step) gets windows of 4
 * steps on SwiftShader; small networks keep STEPS_PER_WINDOW.
 */
const WINDOW_FLOPS = { fallback: 2.5e8, gpu: 2.5e10 };

export class Trainer {
  private stepCount = 0;
  private busy = false;
  private stopRequested = false;
  private destroyed = false;
  private lost: GPUDeviceLostInfo | null = null;
  private lastCheckpoint: Checkpoint | null = null;
  /** performance.now() of the last checkpoint readback. */
  private lastCheckpointAt = 0;
  /** Steps per window (WINDOW_FLOPS). */
  private readonly windowSteps: number;
  private readonly evaluator: Evaluator;

  /** Per-entry variance of the training targets (linear head): R² = 1 − MSE / it. */
  private readonly targetVariance: number;

  private constructor(
    readonly device: GPUDevice,
    /** Sizes, hidden activations and head. */
    readonly net: NetworkSpec,
    /** The first hidden layer's activation (all of them: net.hidden). */
    readonly activation: Activation,
    readonly optimizer: Optimizer,
    /** λ of L2 regularization (0: none). */
    readonly l2: number,
    /** λ1 of L1 regularization (0: none). */
    readonly l1: number,
    /** Examples per step (m: the full batch). */
    readonly batchSize: number,
    /** Examples in the training set. */
    readonly m: number,
    private learningRateValue: number,
    private readonly stepsPerSubmit: number,
    private readonly b: TrainerBuffers,
    data: Dataset,
    /** Each feature's shift and scale, applied to every X (null: features used as given). */
    readonly standardization: Standardization | null,
    private readonly choice: () => string[],
    requested: StepVariant,
  ) {
    this.targetVariance = net.head === 'linear' ? targetVariance(data.Y, data.m) : NaN;
    const budget = isFallbackDevice(device) ? WINDOW_FLOPS.fallback : WINDOW_FLOPS.gpu;
    this.windowSteps = Math.max(1, Math.min(STEPS_PER_WINDOW, Math.floor(budget / flopsPerStep(net.sizes, batchSize))));
    this.evaluator = new Evaluator(device, net, { l2, l1 }, this.parameterViews(), b.maxBindingBytes, b.P, b.layout, standardization, requested);
    // Through a WeakRef: a reaction on device.lost lives as long as the device, and would
    // keep every trainer ever made on it (and all it holds) reachable (npm run soak found it).
    const self = new WeakRef(this);
    device.lost.then((info) => {
      const trainer = self.deref();
      if (trainer) trainer.lost = info;
    });
  }

  /** Validates everything, then builds all buffers, pipelines and bind groups once. */
  static async create(device: GPUDevice, options: TrainerOptions, data: Dataset): Promise<Trainer> {
    if (!options || typeof options !== 'object') throw new InputError('options', 'an object', options);
    // Statistics from the raw training data, checked first so that bad data names data.X, not a standardized copy.
    let standardization: Standardization | null = null;
    if (options.standardize !== undefined && options.standardize !== false) {
      const sizes = validateSizes(options.sizes);
      validateDataset(data, 'data', sizes[0], { sizes, head: validateHead(options.head ?? 'sigmoid', sizes) });
      standardization = options.standardize === true ? fitStandardization(data) : validateStandardization(options.standardize, data.n0, 'options.standardize');
    }
    const used = standardization ? standardizeData(data, standardization) : data;
    const t = await buildTrainer(device, options, used);
    return new Trainer(device, t.net, t.activation, t.optimizer, t.l2, t.l1, t.batchSize, data.m, t.learningRate, t.stepsPerSubmit, t.buffers, used, standardization, t.choice, t.requested);
  }

  /** Layer sizes [n0, n1, …, nL]. */
  get sizes(): number[] {
    return this.net.sizes;
  }

  get head(): Head {
    return this.net.head;
  }

  /** Steps per epoch: ⌈m / batchSize⌉ (1 for the full batch). */
  get stepsPerEpoch(): number {
    return Math.ceil(this.m / this.batchSize);
  }

  /** Epochs completed (fractional): updates taken since the run began, over steps per epoch. */
  get epochs(): number {
    return (this.b.clockStart + this.stepCount) / this.stepsPerEpoch;
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

  /** The kernels one step dispatches, each once, in order (from the step program). */
  get stepKernels(): readonly string[] {
    return kernelsOf(this.b.step.step);
  }

  /** The step program: every dispatch of a step and of the cost pass, as data (src/gpu/program.ts). */
  get stepProgram(): StepProgram {
    return this.b.step;
  }

  /** The step program as text: which variant runs and why, then every dispatch in order (npm run train -- --explain). */
  explain(): string {
    return explainProgram(this.b.step, this.choice());
  }

  /** The kernels the last evaluate(data) ran: 'sparse' (the sparse step's cost pass), 'tiled', 'shared' or 'plain' forward products; null before any. */
  get evaluationVariant(): string | null {
    return this.evaluator.lastVariant;
  }

  /** The parameters last read back during training (kept when the device is lost). */
  get checkpoint(): Checkpoint | null {
    return this.lastCheckpoint;
  }

  setLearningRate(alpha: number): Promise<void> {
    validateLearningRate(alpha);
    this.assertUsable();
    this.learningRateValue = alpha;
    // Written into the step's uniform now (later steps read it); the promise says whether the write held.
    return checkedWrite(this.device, 'setting the learning rate', () => this.b.step.setLearningRate(alpha));
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
    const testEvery = validateSteps(options.testEvery ?? logEvery, 'testEvery');
    if (testEvery % logEvery !== 0) throw new InputError('testEvery', `a multiple of logEvery (${logEvery})`, testEvery);
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
    // The test set's cost pass, recorded before each logged step; its metrics go to their own staging slots.
    let test: { program: CostProgram; staging: WindowStaging } | null = null;
    try {
      if (options.test !== undefined) {
        const close = openScopes(device);
        const program = await this.evaluator.costProgram(options.test).finally(() => close('building the test set\'s cost pass'));
        test = { program, staging: new WindowStaging(device, STEPS_PER_WINDOW) };
      }
      recordCopies(this.device, this.b, 'train start', [[b.P, b.snapshots[0]]]);
      let previous: { window: number; firstStep: number; done: Promise<{ status: number }> } | null = null;
      for (let window = 0; this.stepCount - start < steps && !stopped(); window++) {
        const firstStep = this.stepCount;
        const staging = b.staging.take();
        // Taken at the window's first tested step: a window without one maps no test slots.
        let testStaging: GPUBuffer | null = null;
        const logged: number[] = [];
        const testedSteps: boolean[] = [];
        const close = openScopes(device);
        let pending: GPUCommandBuffer[] = [];
        for (let k = 0; k < this.windowSteps && this.stepCount - start < steps && !stopped(); k++) {
          const step = this.stepCount;
          const log = (step - start) % logEvery === 0;
          const encoder = device.createCommandEncoder({ label: `step ${step}` });
          const pass = encoder.beginComputePass({ label: `step ${step}` });
          const tested = log && test !== null && (step - start) % testEvery === 0;
          if (tested) recordDispatches(pass, test!.program.dispatches, true);
          recordStep(pass, b.step, log, b.clockStart + step);
          pass.end();
          if (log) {
            const offset = WindowStaging.slotOffset(logged.length);
            encoder.copyBufferToBuffer(b.metrics.buffer, 0, staging, offset, WindowStaging.SLOT);
            if (tested) encoder.copyBufferToBuffer(test!.program.metrics.buffer, 0, (testStaging ??= test!.staging.take()), offset, WindowStaging.SLOT);
            logged.push(step);
            testedSteps.push(tested);
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
        recordCopies(this.device, this.b, `window ${window} end`, [[b.P, b.snapshots[(window + 1) % 3]]], staging);
        const done = this.finishWindow(staging, logged, close('training'), report, test && testStaging && { ...test, buffer: testStaging, tested: testedSteps });
        // Awaited later; if an earlier window fails first, this one's rejection
        // (e.g. mapAsync after device loss) must not surface as unhandled.
        done.catch(() => undefined);
        if (previous) {
          const { status } = await previous.done;
          if (status !== 0) return await this.diverged(previous.window, previous.firstStep, done);
          if (this.checkpointDue()) await this.readCheckpoint(b.snapshots[window % 3], firstStep);
        }
        previous = { window, firstStep, done };
      }
      if (previous) {
        const { status } = await previous.done;
        if (status !== 0) return await this.diverged(previous.window, previous.firstStep, Promise.resolve());
      }
      const stoppedEarly = this.stepCount - start < steps;
      // A stop returns at once: the final step's metrics (a pass over the whole training set,
      // 0.65 s at MNIST's size on SwiftShader) are evaluate()'s to give, when wanted.
      if (!stoppedEarly) {
        const final = await this.evaluate();
        report({ step: this.stepCount, ...final, ...(test ? { test: await this.evaluator.run(test.program) } : {}) });
      }
      // Not every call: the demo trains a few steps per animation frame.
      if (this.checkpointDue()) await this.readCheckpoint(b.P, this.stepCount);
      return { steps: this.stepCount - start, stopped: stoppedEarly, history };
    } catch (error) {
      if (this.destroyed) throw new TrainerStateError('the trainer was destroyed during train()');
      throw (await this.lostErrorSoon()) ?? error;
    } finally {
      this.busy = false;
      test?.program.owner.destroy();
      test?.staging.destroy();
    }
  }

  private async finishWindow(
    staging: GPUBuffer,
    logged: number[],
    checked: Promise<void>,
    report: (p: TrainProgress) => void,
    test: { program: CostProgram; staging: WindowStaging; buffer: GPUBuffer; tested: boolean[] } | null,
  ): Promise<{ status: number }> {
    await checked;
    const read = await this.b.staging.read(staging, logged.length);
    const tested = test ? (await test.staging.read(test.buffer, logged.length)).metrics : null;
    // A cost can overflow (a sum of huge losses) before any Z or parameter does.
    const status = read.status !== 0 || read.metrics.some((v) => !Number.isFinite(v.cost)) ? 1 : 0;
    // A diverged window's costs are not reported: diverged() finds where it went wrong.
    if (status === 0) {
      read.metrics.forEach((v, i) =>
        report({ step: logged[i], ...this.metricsOf(v), ...(tested && test!.tested[i] ? { test: this.metricsOf(tested[i], test!.program.variance) } : {}) }));
    }
    return { status };
  }

  /** Window `window` flagged a divergence: keep the last good parameters and say where. */
  private async diverged(window: number, firstStep: number, inFlight: Promise<unknown>): Promise<never> {
    await inFlight.catch(() => undefined);
    const d = await replayDivergence(this.device, this.b, window, firstStep);
    this.stepCount = d.kept;
    await this.readCheckpoint(this.b.P, d.kept);
    throw new DivergenceError(
      d.step,
      `training diverged at step ${d.step} (learning rate ${this.learningRateValue}): ${d.cause}. ` +
        `The trainer keeps the last finite parameters, those after ${d.kept} steps; try a smaller learning rate.`,
    );
  }

  private async readCheckpoint(t: Tensor, step: number): Promise<void> {
    this.lastCheckpoint = { step, ...this.unpackState(await readTensor(this.device, t), this.b.clockStart + step) };
    this.lastCheckpointAt = performance.now();
  }

  /** Parameters and optimizer state from a copy of P (t: the clock they belong to). */
  private unpackState(data: Float32Array, t: number): { params: Parameters; state: OptimizerState } {
    const { layout, slots } = this.b;
    const n = layout.length;
    const state: OptimizerState = { t, ...(this.b.optimizerStart ? { start: this.b.optimizerStart } : {}) };
    if (slots >= 2) state.v = unpackParameters(layout, data.subarray(n, 2 * n));
    if (slots >= 3) state.s = unpackParameters(layout, data.subarray(2 * n, 3 * n));
    return { params: unpackParameters(layout, data.subarray(0, n)), state };
  }

  /** The head's metrics from the raw [J, metric] pair. */
  private metricsOf(raw: RawMetrics, variance = this.targetVariance): Metrics {
    return toMetrics(raw, this.net.head, variance);
  }

  private checkpointDue(): boolean {
    return this.lastCheckpoint === null || performance.now() - this.lastCheckpointAt > CHECKPOINT_INTERVAL_MS;
  }

  /**
   * GPU time per kernel of this trainer's gradient step (median of `repeats`),
   * from timestamp queries. It takes `repeats` real steps.
   */
  async profileStep(repeats = 7): Promise<KernelTime[]> {
    this.assertUsable();
    if (this.busy) throw new TrainerStateError('profileStep() while train() runs; await it first');
    const step = plainStep(dispatchesAt(this.b.step, this.b.clockStart + this.stepCount));
    const times = await this.guard(() => profileDispatches(this.device, step, repeats));
    this.stepCount += repeats;
    return times;
  }

  /** Asks a running train() call to stop after the step in progress. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Cost J and the head's metrics on the whole training data, or on `data` when given. */
  async evaluate(data?: Dataset): Promise<Metrics> {
    this.assertUsable();
    if (data !== undefined) return this.guard(() => this.evaluator.evaluate(data));
    const { b } = this;
    const close = openScopes(this.device);
    const encoder = this.device.createCommandEncoder({ label: 'evaluate' });
    const pass = encoder.beginComputePass({ label: 'evaluate' });
    recordCost(pass, b.step);
    pass.end();
    const staging = b.staging.take();
    encoder.copyBufferToBuffer(b.metrics.buffer, 0, staging, WindowStaging.slotOffset(0), WindowStaging.SLOT);
    this.device.queue.submit([encoder.finish({ label: 'evaluate' })]);
    const checked = close('evaluating');
    try {
      await checked;
      return this.metricsOf((await b.staging.read(staging, 1)).metrics[0]);
    } catch (error) {
      throw (await this.lostErrorSoon()) ?? error;
    }
  }

  /**
   * A[L] for the m examples in X (n0, m), row-major: probabilities (sigmoid),
   * class probabilities (softmax, (K, m)) or predicted values (linear). The buffers
   * for the last m are kept, so a demo can predict a grid every frame without allocating.
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
    return this.guard(() => this.evaluator.activations(X, m, outputOnly));
  }

  private read(t: Tensor): Promise<Float32Array> {
    return this.guard(() => readTensor(this.device, t));
  }

  /** GPU failures become DeviceLostError when the device went away meanwhile. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw (await this.lostErrorSoon()) ?? error;
    }
  }

  /** The current parameters W[l], b[l], read back from the GPU. */
  async getParameters(): Promise<Parameters> {
    this.assertUsable();
    return (await this.getState()).params;
  }

  /** The current parameters and optimizer state (t: updates since the run began), read back together. */
  async getState(): Promise<{ params: Parameters; state: OptimizerState }> {
    this.assertUsable();
    return this.unpackState(await this.read(this.b.P), this.b.clockStart + this.stepCount);
  }

  /** Replaces the parameters (same sizes); the promise says whether the write held. */
  setParameters(params: Parameters): Promise<void> {
    this.assertUsable();
    validateParameters(params, this.sizes, 'params');
    // The parameters only: the optimizer's state (v, s) stays.
    const packed = packParameters(this.b.layout, params) as Float32Array<ArrayBuffer>;
    return checkedWrite(this.device, 'setting the parameters', () => this.device.queue.writeBuffer(this.b.P.buffer, 0, packed));
  }

  /**
   * Reads one of the step's tensors, for tests and teaching: X, Y, W1, b1, dW1, db1, …,
   * and those the step program keeps in place (the simple step: Z1, A1, dZ1, dA1, …;
   * `tensorNames` lists them).
   */
  async readTensor(name: string): Promise<Float32Array> {
    this.assertUsable();
    const t = this.tensorsByName()[name];
    if (!t) throw new InputError('name', `one of the tensors the ${this.variant} step keeps: ${this.tensorNames.join(', ')}`, name);
    return this.read(t);
  }

  /** The names readTensor takes for this trainer's step. */
  get tensorNames(): string[] {
    return Object.keys(this.tensorsByName());
  }

  private tensorsByName(): Record<string, Tensor> {
    const { b } = this;
    const params = this.parameterViews();
    const grads = layerViews(b.layout, b.dP.buffer, 'd');
    const named: Record<string, Tensor> = { X: b.X, Y: b.Y };
    for (let l = 1; l < this.sizes.length; l++) {
      Object.assign(named, { [`W${l}`]: params.W[l], [`b${l}`]: params.b[l], [`dW${l}`]: grads.W[l], [`db${l}`]: grads.b[l] });
    }
    return { ...named, ...b.step.tensors };
  }

  private parameterViews(): ParameterTensors {
    return layerViews(this.b.layout, this.b.P.buffer);
  }

  /** Number of GPU buffers this trainer holds (for leak tests). */
  get liveBuffers(): number {
    return this.b.owner.liveBuffers + this.evaluator.liveBuffers;
  }

  /** Frees every GPU buffer. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopRequested = true;
    this.evaluator.destroy();
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

