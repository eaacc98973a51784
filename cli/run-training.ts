// One `npm run train` run, the same in both runtimes: in headless Chromium
// (cli/page.ts, the page's WebGPU) and in Node (cli/node-runtime.ts, Dawn). Node
// sends plain JSON (TrainingConfig) and gets plain JSON back (TrainingResult).
import { DivergenceError, Trainer } from '../src/index.ts';
import { classCount, parseModelJson, toModelJson, type DataNames, type ModelJson } from '../src/model/model-json.ts';
import { confusionMatrix } from '../src/model/predict.ts';
import type { Predict } from '../src/plot/boundary.ts';
import type { KernelTime } from '../src/gpu/profile.ts';
import type { StepVariant } from '../src/network/step-types.ts';
import type { Activation, Dataset, Head, InitScheme, Metrics, OptimizerKind } from '../src/types.ts';

/** A data set as it travels: X and Y as base64 of their float32 bytes (MNIST's X is 25 MB as text). */
export interface EncodedData {
  name: string;
  n0: number;
  m: number;
  /** (n0, m) row-major. */
  X: string;
  /** (rows, m) row-major: labels, class ids or targets. */
  Y: string;
}

/** What Node sends: plain JSON. */
export interface TrainingConfig {
  data: EncodedData;
  /** Held-out examples, evaluated every testEvery steps (a multiple of logEvery) and after training. */
  test?: EncodedData;
  testEvery?: number;
  sizes: number[];
  /** One per hidden layer. */
  hidden: Activation[];
  head: Head;
  learningRate: number;
  optimizer: { kind: OptimizerKind; beta1?: number; beta2?: number };
  l2: number;
  /** λ1 of L1 regularization (0: none). */
  l1?: number;
  /** Examples per step (m: the full batch). */
  batchSize: number;
  standardize: boolean;
  /** The data's names (a CSV's classes and columns), written into model.json. */
  names?: DataNames;
  steps: number;
  seed: number;
  initScheme: InitScheme;
  /** Parameters (and, when saved, optimizer state and standardization) to start from. */
  initModel?: ModelJson;
  /** Write the optimizer's state into the returned model.json (to resume with --init). */
  saveState: boolean;
  variant: StepVariant;
  /** Time one step's kernels after training (timestamp queries). */
  profile: boolean;
  /** Build the trainer, return its step program as text (TrainingResult.explain) and train nothing. */
  explain?: boolean;
  logEvery: number;
  /** Side of the decision-boundary picture in pixels (2-D data, one sigmoid output). */
  plotSize?: number;
}

export interface HistoryPoint {
  step: number;
  cost: number;
  accuracy: number;
  /** With a test set: its metrics with the same parameters. */
  testCost?: number;
  testAccuracy?: number;
  testRmse?: number;
  testR2?: number;
}

/** Counts of examples by actual class (row) and predicted class (column). */
export type ConfusionMatrix = number[][];

export interface TrainingResult {
  /** Cost J on the training set after the last step. */
  cost: number;
  /** Classification: accuracy on the training set (null for regression). */
  trainAccuracy: number | null;
  /** Regression: RMSE and R² on the training set. */
  trainRmse?: number;
  trainR2?: number;
  testCost?: number;
  testAccuracy?: number;
  testRmse?: number;
  testR2?: number;
  steps: number;
  /** Passes over the training set (steps / ⌈m / batch size⌉). */
  epochs: number;
  /** Wall time of train() alone: pipelines are built before the clock starts. */
  seconds: number;
  stepsPerSecond: number;
  examplesPerSecond: number;
  /** Which step implementation ran ('simple', 'lanes', …). */
  variant: string;
  /** With explain: the step program as text; nothing was trained. */
  explain?: string;
  /** With profile: GPU time of each kernel of one step, median of 7, in µs. */
  profile?: KernelTime[];
  adapter: string;
  /** Every logEvery steps, step 0 and the last step included. */
  history: HistoryPoint[];
  /** Classification: the class names (a CSV's labels, else "0", "1", …) and the confusion matrices. */
  classes?: string[];
  confusion?: { train: ConfusionMatrix; test?: ConfusionMatrix };
  model: ModelJson;
  /** data:image/png;base64,... for 2-D data with one sigmoid output. */
  boundaryPng?: string;
}

const decodeFloats = (base64: string): Float32Array => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
};
const decode = (d: EncodedData): Dataset => ({ name: d.name, n0: d.n0, m: d.m, X: decodeFloats(d.X), Y: decodeFloats(d.Y) });

/** Metrics as the result spells them, with a prefix. */
function metricFields(prefix: 'train' | 'test', m: Metrics): Partial<TrainingResult> {
  if (m.rmse !== undefined) return { [`${prefix}Rmse`]: m.rmse, [`${prefix}R2`]: m.r2 };
  return { [`${prefix}Accuracy`]: m.accuracy };
}

/** What differs between the runtimes: where the device comes from, where progress goes, how a PNG is made. */
export interface TrainingRuntime {
  requestGpu(): Promise<{ device: GPUDevice; adapterName: string }>;
  /** Fire and forget: the training loop must not wait on it. */
  report(step: number, cost: number, accuracy: number): void;
  /** The decision boundary of `predict` over `data` as a data:image/png URL. */
  boundaryPng(predict: Predict, data: Dataset, size: number): Promise<string>;
}

/** The result of a run that only built its trainer: the step program as text, the starting cost. */
async function explained(trainer: Trainer, adapter: string): Promise<TrainingResult> {
  const start = await trainer.evaluate();
  const { params } = await trainer.getState();
  return {
    explain: trainer.explain(), cost: start.cost, trainAccuracy: start.rmse === undefined ? start.accuracy : null, steps: 0, epochs: 0,
    seconds: 0, stepsPerSecond: 0, examplesPerSecond: 0, variant: trainer.variant, adapter, history: [], model: toModelJson(params, trainer.net.hidden, { head: trainer.net.head }),
  };
}

export async function runTraining(config: TrainingConfig, runtime: TrainingRuntime): Promise<TrainingResult> {
  const data = decode(config.data);
  const { device, adapterName } = await runtime.requestGpu();
  let trainer: Trainer | null = null;
  try {
    const saved = config.initModel ? parseModelJson(config.initModel, 'initModel') : null;
    // A saved optimizer state resumes only the same optimizer.
    const resume = saved?.optimizer && saved.optimizer.optimizer.kind === config.optimizer.kind ? saved.optimizer : null;
    trainer = await Trainer.create(
      device,
      {
        sizes: config.sizes,
        activation: config.hidden,
        head: config.head,
        learningRate: config.learningRate,
        optimizer: resume ? resume.optimizer : config.optimizer,
        l2: config.l2,
        l1: config.l1 ?? 0,
        batchSize: config.batchSize,
        init: config.initScheme,
        seed: config.seed,
        standardize: saved?.standardization ?? config.standardize,
        variant: config.variant,
        ...(saved ? { parameters: saved.params } : {}),
        ...(resume ? { state: resume.state } : {}),
      },
      data,
    );

    if (config.explain) return await explained(trainer, adapterName);

    // The trainer watches for a non-finite cost or parameter on the GPU and stops
    // with a DivergenceError that names the step; point the CLI user at --lr.
    const testData = config.test ? decode(config.test) : null;
    const t0 = performance.now();
    let run;
    try {
      run = await trainer.train({
        steps: config.steps,
        logEvery: config.logEvery,
        onProgress: (p) => runtime.report(p.step, p.cost, p.accuracy),
        ...(testData ? { test: testData, testEvery: config.testEvery } : {}),
      });
    } catch (error) {
      if (error instanceof DivergenceError) throw new DivergenceError(error.step, `${error.message} (--lr)`);
      throw error;
    }
    // train() resolves after the final step's cost has been read back, so the
    // GPU work is finished when the clock stops.
    const seconds = (performance.now() - t0) / 1000;

    const train = await trainer.evaluate();
    const test = testData ? await trainer.evaluate(testData) : null;
    const { params, state } = await trainer.getState();
    const model = toModelJson(params, config.hidden, {
      head: config.head,
      standardization: trainer.standardization,
      ...(config.names ? { names: config.names } : {}),
      ...(config.saveState ? { optimizer: { optimizer: trainer.optimizer, state } } : {}),
    });
    const K = classCount(config.sizes, config.head);
    const classes = K > 0 ? (config.names?.classes ?? Array.from({ length: K }, (_, k) => String(k))) : undefined;
    const confusion = async (d: Dataset) => confusionMatrix(await trainer!.predict(d.X, d.m), d.Y, d.m, K);
    const confusions = K > 0 ? { train: await confusion(data), ...(testData ? { test: await confusion(testData) } : {}) } : undefined;
    let boundaryPng: string | undefined;
    if (data.n0 === 2 && config.head === 'sigmoid' && config.sizes[config.sizes.length - 1] === 1) {
      const t = trainer;
      boundaryPng = await runtime.boundaryPng((X, m) => t.predict(X, m), data, config.plotSize ?? 480);
    }
    // Profiling takes 7 more steps: last, so the metrics and the model are the trained ones.
    const profile = config.profile ? await trainer.profileStep() : undefined;
    return {
      cost: train.cost,
      trainAccuracy: train.rmse === undefined ? train.accuracy : null,
      ...metricFields('train', train),
      ...(test ? { testCost: test.cost, ...metricFields('test', test) } : {}),
      steps: run.steps,
      epochs: run.steps / trainer.stepsPerEpoch,
      seconds,
      stepsPerSecond: run.steps / seconds,
      // An epoch is m examples, whatever its last batch's size.
      examplesPerSecond: ((run.steps / trainer.stepsPerEpoch) * data.m) / seconds,
      variant: trainer.variant,
      ...(profile ? { profile } : {}),
      adapter: adapterName,
      history: run.history.map(({ step, cost, accuracy, test: t }) => ({ step, cost, accuracy, ...(t ? { testCost: t.cost, ...metricFields('test', t) } : {}) })),
      ...(classes ? { classes, confusion: confusions } : {}),
      model,
      ...(boundaryPng ? { boundaryPng } : {}),
    };
  } finally {
    trainer?.destroy();
    device.destroy();
  }
}

