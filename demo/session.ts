// One training session: the data, its split, the trainer on the GPU, the curves,
// and the animation loop. Every GPU operation goes through one queue (serial), so
// a reset, a step or a redraw never interleaves with a training call. The
// session keeps a checkpoint (parameters and optimizer state of a recent step),
// so that a lost device costs at most a second of training: recover() rebuilds
// the trainer on a new device from it, and the run continues bit for bit.
import { makeDataset, REGRESSION_DATASETS } from '../src/data/datasets.ts';
import { splitDataset } from '../src/data/split.ts';
import type { Gpu } from '../src/gpu/device.ts';
import { DeviceLostError } from '../src/errors.ts';
import { flopsPerStep } from '../src/perf/flops.ts';
import { planeBounds, type Bounds } from '../src/plot/boundary.ts';
import { Trainer, type Checkpoint } from '../src/trainer.ts';
import { initParameters } from '../src/model/init.ts';
import type { CsvData } from '../src/data/csv.ts';
import { applyFeatures, FEATURE_LABELS, isIdentity, type Feature } from '../src/data/features.ts';
import type { Standardization } from '../src/data/standardize.ts';
import type { Activation, Dataset, Head, Metrics, OptimizerKind, OptimizerState, Parameters } from '../src/types.ts';
import { nextFrame } from './dom.ts';
import { classesOf, hiddenLayers, learningRateAt, liveAt, nextBoundary, type LiveKey, type Settings } from './state.ts';

export interface Point {
  x: number;
  y: number;
}

export interface Curves {
  trainCost: Point[];
  trainAcc: Point[];
  testCost: Point[];
  testAcc: Point[];
}

/** What the page does with the session's news. */
export interface SessionView {
  /** Cheap: numbers and text. */
  metrics(session: Session): void;
  /** Pictures: boundary, hidden units, curves (one forward pass over the grid). */
  pictures(session: Session): Promise<void>;
  running(on: boolean): void;
  failed(error: unknown): void;
  /** The run went wrong in a way training will not undo (training is paused): say so, and offer `rewindTo`. */
  trouble(what: string, rewindTo: number): void;
}

/** A cost this many times the lowest of the run (and above its start) has exploded. */
export const EXPLODED = 10;
/** Hidden activations of the training set read back to look for a dead layer: at most this many floats. */
const MAX_DEAD_CHECK_FLOATS = 1 << 20;
/** Checkpoints kept as rewind targets (about one a second of training). */
const REWIND_POINTS = 30;

/** Canvas size the plane's bounds are computed for (the boundary canvas is square). */
export const PLANE_PIXELS = 400;
/** Pictures are redrawn at most this often while training (each is a GPU round trip). */
const PICTURE_INTERVAL_MS = 120;
/** "As fast as the GPU goes": one training call should take about this long, so frames keep coming. */
const MAX_SPEED_CALL_MS = 100;
/**
 * No training call is planned longer than this, whatever the speed setting: a
 * wide network on a slow adapter can take a second per step, and a call of 20
 * such steps would make Pause and every control wait that long.
 */
const MAX_CALL_MS = 250;
/** Curves keep at most this many points; older ones are thinned out. */
const MAX_CURVE_POINTS = 2000;

export class Session {
  trainer: Trainer | null = null;
  /** The data as the plane shows it: every example, and its training and test sets (raw features). */
  all!: Dataset;
  train!: Dataset;
  test!: Dataset;
  /** What the trainer sees: train and test with the input features computed (the same objects when the inputs are x1, x2). */
  trainIn!: Dataset;
  testIn!: Dataset;
  /** The plane shown, from all examples; null for data that is not 2-D. */
  bounds: Bounds | null = null;
  curves: Curves = { trainCost: [], trainAcc: [], testCost: [], testAcc: [] };
  /** A user's CSV file as the label rules read it (src/data/csv.ts), used while settings.dataset is 'csv'; its text travels in a downloaded run. */
  userData: (CsvData & { name: string; text: string }) | null = null;
  /**
   * The standardization of a CSV's features in force (settings.standardize): fitted on the
   * training set when the run starts, or an imported model's, then kept for the run (a
   * rebuilt trainer, a new device) so that the same inputs keep meaning the same thing.
   */
  private standardization: Standardization | null = null;
  running = false;
  stepsPerSecond = 0;
  /** Steps per call at "as fast as the GPU goes", adapted to the measured call time. */
  private maxBatch = 1;
  /** Measured milliseconds per step (smoothed); 0 until the first call. */
  private msPerStep = 0;
  /** When set, training stops at this step (a shared link's run). */
  private target: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private loopId = 0;
  private rate: { t: number; step: number }[] = [];
  /** Steps taken before this trainer was built (a run resumed after a lost device). */
  private base = 0;
  /** The latest parameters and optimizer state known, with their step counted from the run's start. */
  private saved: Checkpoint | null = null;
  /** Set when a training call failed because the device was lost: recover() goes on training. */
  private interrupted: { target: number | null } | null = null;
  /** The live settings the current trainer was built with (liveAt its first step). */
  private built: Pick<Settings, LiveKey> | null = null;
  /** Recent checkpoints with the training cost then, oldest first: where a run that went wrong can go back to. */
  private rewindPoints: { checkpoint: Checkpoint; cost: number }[] = [];
  /** Trouble already reported in this run (so it is said once). */
  private troubleSaid = false;
  private deadCheckedAt = -Infinity;

  constructor(
    public gpu: Gpu,
    private readonly settings: () => Settings,
    private readonly view: SessionView,
  ) {}

  /** The problem the data poses: binary or several classes, or regression (ripple: real targets, a linear output). */
  get task(): 'classification' | 'regression' {
    const d = this.settings().dataset;
    if (d === 'csv') return this.userData?.task === 'regress' ? 'regression' : 'classification';
    return REGRESSION_DATASETS.includes(d) ? 'regression' : 'classification';
  }

  /** The user's file, when the run trains on it. */
  get csv(): (CsvData & { name: string; text: string }) | null {
    return this.settings().dataset === 'csv' ? this.userData : null;
  }

  /** Each class's name (a CSV's labels as written; a generated set's class ids). */
  get classNames(): string[] {
    return this.csv?.classNames ?? Array.from({ length: this.classes }, (_, k) => String(k));
  }

  /** The two features' names for the plane's axes: a CSV header's, else x1 and x2. */
  get axisNames(): [string, string] {
    const columns = this.csv?.columns;
    return columns && columns.length >= 3 ? [columns[0], columns[1]] : ['x1', 'x2'];
  }

  /** Regression: the targets' range over all examples (the colour map's ends). */
  get targetRange(): { lo: number; hi: number } {
    let lo = Infinity, hi = -Infinity;
    for (const y of this.all.Y) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
    return { lo, hi };
  }

  /** The latest training and test metrics (RMSE and R² for regression). */
  latest: { train: Metrics | null; test: Metrics | null } = { train: null, test: null };

  /** Classes of the data: 2 (one sigmoid output) or K > 2 (a softmax over K outputs). */
  get classes(): number {
    const csv = this.csv;
    if (csv) return csv.task === 'classify' ? csv.classes : 2;
    return classesOf(this.settings());
  }

  /** The output the data asks for: linear (regression), softmax (K > 2 classes) or sigmoid. */
  get head(): Head {
    return this.task === 'regression' ? 'linear' : this.classes > 2 ? 'softmax' : 'sigmoid';
  }

  /** The network's layer sizes for this data and the settings' hidden layers: [n0, n1, …, 1] or [n0, n1, …, K]. */
  get sizes(): number[] {
    const K = this.classes;
    return [this.inputFeatures?.length ?? this.all.n0, ...hiddenLayers(this.settings()).units, K > 2 ? K : 1];
  }

  /** The input features computed from (x1, x2) for the network, or null when it reads the data as it is (other features than x1, x2 ask for 2-feature data). */
  get inputFeatures(): Feature[] | null {
    const features = this.settings().features;
    return this.all?.n0 === 2 && !isIdentity(features) ? features : null;
  }

  /** The network's inputs by name: its input features, a CSV header's feature columns, else x₁, x₂ (x1 … xn beyond two). */
  get inputNames(): string[] {
    const features = this.inputFeatures;
    if (features) return features.map((f) => FEATURE_LABELS[f]);
    const n0 = this.all.n0;
    const columns = this.csv?.columns;
    if (columns && columns.length === n0 + 1) return columns.slice(0, -1);
    return n0 === 2 ? ['x₁', 'x₂'] : Array.from({ length: n0 }, (_, i) => `x${i + 1}`);
  }

  /** Points of the data's raw features (n0, m), as the network's inputs. */
  inputsOf(X: ArrayLike<number>, m: number): ArrayLike<number> {
    const features = this.inputFeatures;
    return features ? applyFeatures(X, m, features) : X;
  }

  /** Each hidden layer's activation g, first layer first. */
  get activations(): Activation[] {
    return hiddenLayers(this.settings()).activations;
  }

  /** The live settings changed during this run, in order (the curves mark them). */
  get changes(): Settings['changes'] {
    return this.settings().changes;
  }

  /** Steps since the run began (across lost devices). */
  get stepsDone(): number {
    return this.base + (this.trainer?.stepsDone ?? 0);
  }

  /** The step recover() would resume from (0 when nothing was saved: the seed's initialization). */
  get checkpointStep(): number {
    return this.saved?.step ?? 0;
  }

  get gflops(): number {
    return this.trainer ? (flopsPerStep(this.trainer.sizes, this.train.m) * this.stepsPerSecond) / 1e9 : 0;
  }

  /** Runs GPU work after everything queued before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** New data, split and trainer at step 0 (from `parameters` when given). The old trainer is destroyed. */
  rebuild(parameters?: Parameters, standardization: Standardization | null = null): Promise<void> {
    this.pause(false);
    return this.serial(async () => {
      this.trainer?.destroy();
      this.trainer = null;
      this.standardization = standardization;
      const s = this.settings();
      this.all = s.dataset === 'csv' && this.userData
        ? this.userData.data
        : makeDataset(s.dataset === 'csv' ? 'flower' : s.dataset, { m: s.points, noise: s.noise, seed: s.dataSeed ?? s.seed, classes: classesOf(s) });
      // The data's own seed when it was regenerated (the weights keep the run's seed).
      ({ train: this.train, test: this.test } = splitDataset(this.all, s.testFraction, s.dataSeed ?? s.seed));
      const features = this.inputFeatures;
      const inputs = (d: Dataset): Dataset => (features ? { ...d, n0: features.length, X: applyFeatures(d.X, d.m, features) } : d);
      [this.trainIn, this.testIn] = [inputs(this.train), inputs(this.test)];
      this.bounds = this.all.n0 === 2 ? planeBounds(this.all, PLANE_PIXELS, PLANE_PIXELS) : null;
      this.curves = { trainCost: [], trainAcc: [], testCost: [], testAcc: [] };
      this.base = 0;
      // Imported weights cannot be made again from the seed: they are the first checkpoint.
      this.saved = parameters ? { step: 0, params: parameters, state: { t: 0 } } : null;
      this.interrupted = null;
      this.rewindPoints = [];
      this.troubleSaid = false;
      await this.build(parameters);
    });
  }

  /**
   * After the device was lost: the same data and settings on `gpu`'s device, the
   * trainer rebuilt from the last checkpoint (or from the seed's initialization
   * when none was taken yet), the curves cut back to that step. Training goes on
   * if it was running. Returns the step it resumed from.
   */
  async recover(gpu: Gpu): Promise<number> {
    const target = this.running ? this.target : (this.interrupted?.target ?? null);
    const resume = this.running || this.interrupted !== null;
    this.pause(false);
    await this.serial(async () => {
      this.interrupted = null;
      // Its buffers went with the lost device, but its evaluator's and staging objects, its
      // listeners and what it holds on the heap go only with destroy().
      this.trainer?.destroy();
      this.trainer = null;
      this.gpu = gpu;
      const saved = this.saved;
      this.base = saved?.step ?? 0;
      for (const key of Object.keys(this.curves) as (keyof Curves)[]) this.curves[key] = this.curves[key].filter((p) => p.x <= this.base);
      await this.build(saved?.params, saved?.state);
    });
    if (resume) this.play(target ?? undefined);
    return this.base;
  }

  /** A trainer for this.train on the session's device, from `parameters` (and `state`) when given. */
  private async build(parameters?: Parameters, state?: Checkpoint['state']): Promise<void> {
    const s = this.settings();
    this.rate = [];
    this.stepsPerSecond = 0;
    this.msPerStep = 0;
    this.maxBatch = 1;
    // The live settings in force at this step (a link's changes, or the user's, before it).
    const live = liveAt(s, this.base);
    this.built = live;
    this.trainer = await Trainer.create(
      this.gpu.device,
      {
        sizes: this.sizes, head: this.head,
        activation: this.activations, learningRate: learningRateAt(s, this.base), init: s.init, seed: s.seed, parameters, state,
        optimizer: { kind: live.optimizer, beta1: live.beta1, beta2: live.beta2 }, l2: live.l2, l1: live.l1, batchSize: live.batch > 0 ? Math.min(live.batch, this.train.m) : undefined,
        standardize: this.csv && s.standardize ? (this.standardization ?? true) : undefined,
      },
      this.trainIn,
    );
    this.standardization = this.trainer.standardization;
    const start = await this.trainer.evaluate();
    this.latest = { train: start, test: null };
    this.push('trainCost', this.base, start.cost);
    this.push('trainAcc', this.base, this.quality(start));
    await this.refresh();
  }

  /**
   * Runs `work` between two training calls (so at an exact step), with the step reached:
   * how the settings store records a live change (demo/store.ts).
   */
  atStep<T>(work: (step: number) => Promise<T>): Promise<T> {
    return this.serial(() => work(this.stepsDone));
  }

  /**
   * Puts the trainer in line with the settings in force at this step: α (changes and
   * decay) at once; a new optimizer, β1, β2, batch size or λ by a new trainer from the
   * current parameters (and the optimizer's state, zeroed when the rule changed). In serial.
   */
  async applyLive(): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    const s = this.settings();
    const step = this.stepsDone;
    const live = liveAt(s, step);
    const built = this.built!;
    const rebuilt = (['optimizer', 'beta1', 'beta2', 'batch', 'l2', 'l1'] as const).some((k) => live[k] !== built[k]);
    if (rebuilt) {
      const { params, state } = await trainer.getState();
      const next = live.optimizer === built.optimizer ? state : freshState(live.optimizer, params.sizes, state.t);
      // this.trainer stays set until the new one replaces it: play() called meanwhile queues behind this.
      trainer.destroy();
      this.base = step;
      this.saved = { step, params, state: next };
      await this.build(params, next).catch((error) => {
        this.trainer = null;
        throw error;
      });
    } else {
      await trainer.setLearningRate(learningRateAt(s, step));
    }
  }

  /** Trains until paused (or until step `until`). */
  play(until?: number): void {
    // The target is checked in the loop, in serial: a change being applied (a new
    // trainer, a new base step) is done before the step count is compared.
    this.target = until ?? null;
    if (this.running) return;
    this.running = true;
    this.view.running(true);
    void this.loop(++this.loopId);
  }

  /** Stops after the step in progress; with `redraw`, then shows the final state. */
  pause(redraw = true): void {
    const was = this.running;
    this.running = false;
    this.target = null;
    this.trainer?.stop();
    if (was) this.view.running(false);
    // A stopped training call returns without the final step's metrics: the paused state gets them here.
    if (was && redraw) void this.serial(() => this.save().then(() => this.refresh(true))).catch((e) => this.view.failed(e));
  }

  /** One gradient step, then every picture. */
  stepOnce(): Promise<void> {
    this.pause(false);
    return this.serial(async () => {
      await this.trainSteps(1);
      await this.refresh();
    });
  }

  private async loop(id: number): Promise<void> {
    let lastPictures = performance.now();
    while (this.running && id === this.loopId) {
      try {
        await this.serial(async () => {
          if (!this.running) return;
          // At the target the run pauses with every curve's point at the step reached (a call
          // that was stopped on the way returns without its final step's metrics: refresh(true)).
          if (!this.trainer || (this.target !== null && this.stepsDone >= this.target)) {
            this.pause(false);
            await this.refresh(true);
            return;
          }
          await this.trainSteps(this.batchSize());
          const now = performance.now();
          if (this.target !== null && this.stepsDone >= this.target) {
            this.pause(false);
            await this.refresh(true);
          } else if (now - lastPictures > PICTURE_INTERVAL_MS) {
            lastPictures = now;
            await this.refresh();
          } else {
            this.view.metrics(this);
          }
        });
      } catch (error) {
        if (error instanceof DeviceLostError) this.interrupted = { target: this.target };
        this.pause(false);
        this.view.failed(error);
        await this.serial(() => this.refresh()).catch(() => undefined);
        return;
      }
      await nextFrame();
    }
  }

  private batchSize(): number {
    const s = this.settings();
    const limit = this.msPerStep > 0 ? Math.max(1, Math.floor(MAX_CALL_MS / this.msPerStep)) : 1;
    // A call ends where a setting changes (a recorded change, a decay of α): then it is applied.
    const end = Math.min(this.target ?? Infinity, nextBoundary(s, this.stepsDone));
    return Math.max(1, Math.min(limit, s.speed > 0 ? s.speed : this.maxBatch, end - this.stepsDone));
  }

  private async trainSteps(steps: number): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    const t0 = performance.now();
    let last: (Metrics & { step: number }) | null = null;
    await trainer.train({ steps, logEvery: steps, onProgress: (p) => (last = p) });
    const ms = performance.now() - t0;
    // A call also waits for a few readbacks: per-step time is an upper estimate, safe for MAX_CALL_MS.
    const perStep = ms / steps;
    this.msPerStep = this.msPerStep === 0 ? perStep : 0.7 * this.msPerStep + 0.3 * perStep;
    if (this.settings().speed === 0 && steps === this.maxBatch) {
      // Grow (at most doubling) or shrink the batch towards MAX_SPEED_CALL_MS per call.
      const scaled = this.maxBatch * Math.min(2, Math.max(0.25, MAX_SPEED_CALL_MS / Math.max(ms, 1)));
      this.maxBatch = Math.max(1, Math.min(1 << 20, Math.round(scaled)));
    }
    this.measureRate();
    // The trainer refreshes its checkpoint about once a second during train().
    const c = trainer.checkpoint;
    const p = last as (Metrics & { step: number }) | null;
    if (p) {
      this.latest.train = p;
      this.push('trainCost', this.base + p.step, p.cost);
      this.push('trainAcc', this.base + p.step, this.quality(p));
    }
    if (c && this.base + c.step > (this.saved?.step ?? -1)) {
      this.saved = { ...c, step: this.base + c.step };
      // A rewind target, with the cost last logged (a step or a call before it: close enough to tell good from exploded).
      const cost = this.curves.trainCost.at(-1)?.y ?? Number.NaN;
      this.rewindPoints.push({ checkpoint: this.saved, cost });
      if (this.rewindPoints.length > REWIND_POINTS) this.rewindPoints.shift();
    }
    if (p) this.checkExplosion(p.cost);
    // At a step where a setting changes (the calls end there): in force from the next step.
    if (nextBoundary(this.settings(), this.stepsDone - 1) === this.stepsDone) await this.applyLive();
  }

  /** The lowest training cost of the run, and its first. */
  private costRange(): { best: number; first: number } {
    const costs = this.curves.trainCost.map((q) => q.y).filter(Number.isFinite);
    return { best: Math.min(...costs), first: costs[0] ?? Number.NaN };
  }

  /** The latest good rewind target: the newest checkpoint whose cost was within 2× the run's best (none: step 0). */
  goodStep(): number {
    const { best } = this.costRange();
    const good = this.rewindPoints.filter((r) => Number.isFinite(r.cost) && r.cost <= 2 * best).at(-1);
    return good?.checkpoint.step ?? 0;
  }

  /** A cost EXPLODED times the run's best and above where it started: paused, said, a rewind offered. */
  private checkExplosion(cost: number): void {
    const { best, first } = this.costRange();
    if (this.troubleSaid || !(cost > EXPLODED * best && cost > first)) return;
    this.troubleSaid = true;
    this.pause(false);
    this.view.trouble(`The cost exploded: ${cost.toPrecision(3)} at step ${this.stepsDone.toLocaleString('en-US')}, against ${best.toPrecision(3)} earlier in this run. The learning rate α is too large for this network and optimizer: every step overshoots. Training is paused.`, this.goodStep());
  }

  /**
   * Every unit of hidden layer `layer` outputs 0 for every training example (ReLU's flat side):
   * no gradient reaches its weights, so training cannot bring it back. Said once a run, with a rewind.
   */
  private reportDeadLayer(layer: number, units: number): void {
    this.troubleSaid = true;
    this.pause(false);
    this.view.trouble(`Every unit of hidden layer ${layer} (${units} ReLU${units === 1 ? '' : 's'}) is dead: each outputs 0 for every input, so no gradient flows through the layer and training cannot revive it. A smaller learning rate, leaky ReLU or another initialization avoids it. Training is paused.`, this.deadSince());
  }

  /** The newest checkpoint before the cost stopped falling (the layer died there or earlier): the one before the latest, at least. */
  private deadSince(): number {
    return this.rewindPoints.at(-3)?.checkpoint.step ?? 0;
  }

  /**
   * Back to the checkpoint at `step` (0: the run's start): the trainer rebuilt from it, the curves
   * cut there, the changes recorded after it dropped by the caller. Training stays paused.
   */
  async rewind(step: number): Promise<void> {
    this.pause(false);
    await this.serial(async () => {
      const target = this.rewindPoints.find((r) => r.checkpoint.step === step)?.checkpoint;
      this.trainer?.destroy();
      this.trainer = null;
      this.troubleSaid = false;
      this.base = target ? step : 0;
      this.saved = target ?? null;
      this.rewindPoints = this.rewindPoints.filter((r) => r.checkpoint.step <= this.base);
      for (const key of Object.keys(this.curves) as (keyof Curves)[]) this.curves[key] = this.curves[key].filter((p) => p.x <= this.base);
      await this.build(target?.params, target?.state);
    });
  }

  /** Steps per second over the last second or so of wall time (frames included). */
  private measureRate(): void {
    const now = performance.now();
    this.rate.push({ t: now, step: this.stepsDone });
    while (this.rate.length > 2 && now - this.rate[1].t > 1000) this.rate.shift();
    const first = this.rate[0];
    if (this.rate.length > 1 && now > first.t) this.stepsPerSecond = ((this.stepsDone - first.step) * 1000) / (now - first.t);
  }

  /** Reads the current parameters and optimizer state into the checkpoint (when paused: nothing is lost). */
  private async save(): Promise<void> {
    const trainer = this.trainer;
    if (!trainer || this.stepsDone === (this.saved?.step ?? 0)) return;
    const { params, state } = await trainer.getState();
    this.saved = { step: this.base + trainer.stepsDone, params, state };
  }

  /** Test metrics (and the training set's, with `train`), then every picture. */
  private async refresh(train = false): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    if (train && this.curves.trainCost.at(-1)?.x !== this.stepsDone) {
      const m = await trainer.evaluate();
      this.latest.train = m;
      this.push('trainCost', this.stepsDone, m.cost);
      this.push('trainAcc', this.stepsDone, this.quality(m));
    }
    if (this.test.m > 0) {
      const test = await trainer.evaluate(this.testIn);
      this.latest.test = test;
      this.push('testCost', this.stepsDone, test.cost);
      this.push('testAcc', this.stepsDone, this.quality(test));
    }
    this.view.metrics(this);
    await this.view.pictures(this);
    await this.checkDeadLayers(trainer);
  }

  /** When ReLU layers are small enough to read back (about once a second): is one of them dead on the training set? */
  private async checkDeadLayers(trainer: Trainer): Promise<void> {
    const now = performance.now();
    const relu = this.activations.map((a, k) => (a === 'relu' ? k : -1)).filter((k) => k >= 0);
    const floats = this.sizes.slice(1, -1).reduce((a, n) => a + n, 0) * this.trainIn.m;
    if (this.troubleSaid || relu.length === 0 || floats > MAX_DEAD_CHECK_FLOATS || now - this.deadCheckedAt < 1000) return;
    this.deadCheckedAt = now;
    const A = await trainer.activations(this.trainIn.X, this.trainIn.m);
    const dead = relu.find((k) => A[k + 1].every((v) => v === 0));
    if (dead !== undefined) this.reportDeadLayer(dead + 1, this.sizes[dead + 1]);
  }

  /** The second curve's value: the accuracy, or R² for regression. */
  private quality(m: Metrics): number {
    return this.task === 'regression' ? (m.r2 ?? Number.NaN) : m.accuracy;
  }

  private push(series: keyof Curves, x: number, y: number): void {
    const points = this.curves[series];
    const lastPoint = points[points.length - 1];
    if (lastPoint && lastPoint.x === x) lastPoint.y = y;
    else points.push({ x, y });
    if (points.length > MAX_CURVE_POINTS) {
      // Keep the first and last points; drop every other one in between.
      this.curves[series] = points.filter((_, i) => i % 2 === 0 || i === points.length - 1);
    }
  }

  destroy(): void {
    this.pause(false);
    this.trainer?.destroy();
    this.trainer = null;
  }
}

/**
 * The state of a new update rule taken up at update t: its v and s start at zero and
 * its own count at 1 (start = t: Adam's bias correction begins again, as in every
 * framework), while the clock, and with it the batch order, goes on.
 */
function freshState(kind: OptimizerKind, sizes: number[], t: number): OptimizerState {
  const zeros = () => initParameters(sizes, 'zeros', 0);
  return kind === 'sgd' ? { t } : kind === 'momentum' ? { t, start: t, v: zeros() } : { t, start: t, v: zeros(), s: zeros() };
}
