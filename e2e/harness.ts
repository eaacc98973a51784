// Runs on the test page: builds kernels and trainers on a real GPUDevice and
// returns plain numbers to the Playwright tests, which compare them with the
// float64 reference in Node. Every device gets a validation error scope; an
// error captured there fails the call. The same functions run in Node on Dawn
// (e2e/node-runtime.spec.ts calls useGpu with src/node.ts's requestGpu).
import { makeDataset, type DatasetName } from '../src/data/datasets.ts';
import { isFallbackDevice, requestGpu, type Gpu } from '../src/gpu/device.ts';
import {
  aMinusYKernel,
  costKernel,
  dbKernel,
  dWKernel,
  forwardLayerKernel,
  backwardLayerTiledKernel,
  mulGPrimeKernel,
  wTransposeDzKernel,
  softmaxKernel,
  updateKernel,
  penaltyGradientKernel,
  penaltyCostKernel,
  batchIndicesKernel,
  gatherColumnsKernel,
} from '../src/gpu/kernels.ts';
import { recordDispatches, type Dispatch } from '../src/gpu/program.ts';
import { batchExamples } from '../src/training/shuffle.ts';
import { storageUsage } from '../src/gpu/tensor.ts';
import { Owner } from '../src/gpu/owner.ts';
import { readTensor } from '../src/gpu/readback.ts';
import { openScopes } from '../src/gpu/scopes.ts';
import type { Tensor } from '../src/gpu/tensor.ts';
import { initParameters } from '../src/model/init.ts';
import { newTensor, uploadTensor } from '../src/network/forward-pass.ts';
import { Trainer } from '../src/trainer.ts';
import type { StepVariant } from '../src/network/step-types.ts';
import type { Activation, Dataset, Head, InitScheme, Metrics, OptimizerKind, OptimizerState, Parameters } from '../src/types.ts';
import { kernelInputs, sampleIndices, type KernelCase } from './fixtures/kernel-cases.ts';
import { plain } from './fixtures/data.ts';

let gpu: Promise<Gpu> | null = null;
let request: () => Promise<Gpu> = () => requestGpu();
/** The harness's device; a new one once it is lost (a test that loses it leaves the next one a working device). */
const getGpu = (): Promise<Gpu> => {
  if (!gpu) {
    const mine = (gpu = request());
    const forget = () => {
      if (gpu === mine) gpu = null;
    };
    mine.then((g) => g.device.lost.then(forget), forget);
  }
  return gpu;
};

/** Where the harness gets its device (default: navigator.gpu's). */
export function useGpu(source: () => Promise<Gpu>): void {
  request = source;
  gpu = null;
}

type Sampled = { indices: number[]; values: number[] };
const sample = (a: Float32Array): Sampled => {
  const indices = sampleIndices(a.length);
  return { indices, values: indices.map((i) => a[i]) };
};

/**
 * Runs `work` on the harness's device inside the library's validation and out-of-memory
 * scopes (src/gpu/scopes.ts): an error captured there fails the call with a typed error.
 */
async function withDevice<T>(work: (device: GPUDevice) => Promise<T>): Promise<T> {
  const { device } = await getGpu();
  const close = openScopes(device);
  let result: T;
  try {
    result = await work(device);
  } catch (error) {
    await close('a harness call').catch(() => undefined); // the work's own error is the one to report
    throw error;
  }
  await close('a harness call');
  return result;
}

/** Runs one kernel on inputs generated from the case's seed; returns its outputs. */
async function runKernel(c: KernelCase): Promise<Record<string, Sampled>> {
  return withDevice(async (device) => {
    const owner = new Owner(device);
    try {
      const input = kernelInputs(c);
      const { rows, cols } = c;
      const inner = c.inner ?? 0;
      const t = (name: string, r: number, k: number): Tensor => uploadTensor(owner, name, r, k, input[name]);
      let d: Dispatch;
      let outputs: Record<string, Tensor>;
      switch (c.kernel) {
        case 'forward_layer': {
          const o = { Z: newTensor(owner, 'Z', rows, cols), A: newTensor(owner, 'A', rows, cols), status: newTensor(owner, 'status', 1, 1) };
          d = await forwardLayerKernel(owner, 'fwd', c.g!, { W: t('W', rows, inner), b: t('b', rows, 1), A_prev: t('A_prev', inner, cols), ...o }, c.matmul);
          outputs = o;
          break;
        }
        case 'a_minus_y':
          outputs = { dZ: newTensor(owner, 'dZ', rows, cols) };
          d = await aMinusYKernel(owner, 'dZ', c.head ?? 'sigmoid', { A: t('A', rows, cols), Y: t('Y', c.head === 'softmax' ? 1 : rows, cols), dZ: outputs.dZ });
          break;
        case 'matmul_abt_scaled':
          outputs = { dW: newTensor(owner, 'dW', rows, cols) };
          d = await dWKernel(owner, 'dW', { dZ: t('dZ', rows, inner), A_prev: t('A_prev', cols, inner), dW: outputs.dW }, undefined, c.matmul);
          break;
        case 'matmul_atb':
          outputs = { dA_prev: newTensor(owner, 'dA_prev', rows, cols) };
          d = await wTransposeDzKernel(owner, 'WtdZ', { W: t('W', inner, rows), dZ: t('dZ', inner, cols), dA_prev: outputs.dA_prev });
          break;
        case 'backward_tiled':
          outputs = { dZ_prev: newTensor(owner, 'dZ_prev', rows, cols) };
          d = await backwardLayerTiledKernel(owner, 'dZ_prev', c.g!, { W: t('W', inner, rows), dZ: t('dZ', inner, cols), Z_prev: t('Z_prev', rows, cols), dZ_prev: outputs.dZ_prev }, c.matmul === 'shared' ? 'shared' : 'tiled');
          break;
        case 'mul_g_prime':
          outputs = { dZ: newTensor(owner, 'dZ', rows, cols) };
          d = await mulGPrimeKernel(owner, 'dZ', c.g!, { dA: t('dA', rows, cols), Z: t('Z', rows, cols), dZ: outputs.dZ });
          break;
        case 'sum_rows':
          outputs = { db: newTensor(owner, 'db', rows, 1) };
          d = await dbKernel(owner, 'db', { dZ: t('dZ', rows, cols), db: outputs.db });
          break;
        case 'cost':
          outputs = { metrics: newTensor(owner, 'metrics', 1, 2) };
          d = await costKernel(owner, 'cost', c.head ?? 'sigmoid', { Z: t('Z', rows, cols), Y: t('Y', c.head === 'softmax' ? 1 : rows, cols), metrics: outputs.metrics });
          break;
        case 'sgd_update': {
          const P = t('P', rows, cols);
          outputs = { P, status: newTensor(owner, 'status', 1, 1) };
          const sgd = { kind: 'sgd', beta1: 0, beta2: 0, epsilon: 1 } as const;
          d = (await updateKernel(owner, 'update', sgd, { P, dP: t('dP', rows, cols), status: outputs.status }, rows * cols, c.alpha ?? 0.5)).dispatch;
          break;
        }
        case 'softmax_columns':
          outputs = { A: newTensor(owner, 'A', rows, cols) };
          d = await softmaxKernel(owner, 'softmax', { Z: t('Z', rows, cols), A: outputs.A });
          break;
        case 'update': {
          const n = rows * cols;
          const state = new Float32Array(n + input.state.length);
          state.set(input.P);
          state.set(input.state, n);
          const P = uploadTensor(owner, 'P', state.length, 1, state);
          const clock = { label: 'clock', buffer: owner.bufferWith('clock', new Uint32Array([c.clock ?? 0, 0, 0, 0]), storageUsage()), offset: 0, rows: 1, cols: 4 };
          outputs = { P, status: newTensor(owner, 'status', 1, 1) };
          const optimizer = { kind: c.optimizer ?? 'sgd', beta1: c.beta1 ?? 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
          d = (await updateKernel(owner, 'update', optimizer, { P, dP: t('dP', n, 1), status: outputs.status, clock }, n, c.alpha ?? 0.5)).dispatch;
          break;
        }
        case 'penalty_gradient': {
          const dP = t('dP', rows, 1);
          outputs = { dP };
          d = await penaltyGradientKernel(owner, 'penalty', { P: t('P', rows, 1), mask: t('mask', rows, 1), dP }, { l2: c.alpha ?? 0.5, l1: c.l1 ?? 0 });
          break;
        }
        case 'penalty_cost': {
          // metrics[0] starts at 1.5: the kernel adds to what the cost kernel wrote.
          const metrics = uploadTensor(owner, 'metrics', 1, 2, Float32Array.of(1.5, 0.25));
          outputs = { metrics };
          d = await penaltyCostKernel(owner, 'penalty cost', { P: t('P', rows, 1), mask: t('mask', rows, 1), metrics }, { l2: c.alpha ?? 0.5, l1: c.l1 ?? 0 });
          break;
        }
        case 'batch_indices': {
          const clock = { label: 'clock', buffer: owner.bufferWith('clock', new Uint32Array([c.clock ?? 0, 0, 0, 0]), storageUsage()), offset: 0, rows: 1, cols: 4 };
          const index = newTensor(owner, 'index', 1, cols);
          outputs = { index };
          d = await batchIndicesKernel(owner, 'batch', { clock, index }, { count: cols, m: c.m!, B: c.B!, nb: Math.ceil(c.m! / c.B!), seed: c.shuffleSeed ?? 1 });
          break;
        }
        case 'gather_columns': {
          const index = { label: 'index', buffer: owner.bufferWith('index', Uint32Array.from(batchExamples(c.clock ?? 0, c.m!, c.B!, c.shuffleSeed ?? 1)), storageUsage()), offset: 0, rows: 1, cols };
          outputs = { out: newTensor(owner, 'out', rows, cols) };
          d = await gatherColumnsKernel(owner, 'gather', { src: t('src', rows, c.m!), index, out: outputs.out });
          break;
        }
      }
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      recordDispatches(pass, [d]);
      pass.end();
      device.queue.submit([encoder.finish()]);
      const result: Record<string, Sampled> & { grid?: never } = {};
      for (const [name, tensor] of Object.entries(outputs)) {
        const values = await readTensor(device, tensor);
        // The batch indices are u32: read their bits as integers.
        result[name] = sample(c.kernel === 'batch_indices' ? Float32Array.from(new Uint32Array(values.buffer)) : values);
      }
      return Object.assign(result, { _grid: { indices: [0, 1], values: [...d.grid] } });
    } finally {
      owner.destroy();
    }
  });
}

export interface TrainerCase {
  sizes: number[];
  activation: Activation | Activation[];
  learningRate: number;
  init?: InitScheme;
  seed?: number;
  /** A generated data set, or explicit data. */
  dataset?: { name: DatasetName; m?: number; noise?: number; seed?: number };
  data?: { n0: number; m: number; X: number[]; Y: number[] };
  /** Explicit starting parameters (as plain arrays, indexed by layer). */
  parameters?: { W: number[][]; b: number[][] };
  /** Force chunking of the examples (bytes per storage binding). */
  maxBindingBytes?: number;
  stepsPerSubmit?: number;
  variant?: StepVariant;
  /** The small step's invocations per workgroup (TrainerOptions.smallWorkgroup). */
  smallWorkgroup?: number;
  head?: Head;
  optimizer?: OptimizerKind | { kind: OptimizerKind; beta1?: number; beta2?: number; epsilon?: number };
  l2?: number;
  l1?: number;
  batchSize?: number;
  /** Optimizer state to resume from, plain arrays. */
  state?: PlainState;
}

type Plain = { W: number[][]; b: number[][] };
/** After `after` steps, the learning rate becomes `learningRate` for the rest. */
type Raise = { after: number; learningRate: number };
export type PlainState = { t: number; start?: number; v?: Plain; s?: Plain };

function caseData(c: TrainerCase): Dataset {
  if (c.dataset) return makeDataset(c.dataset.name, c.dataset);
  const d = c.data!;
  return { name: 'explicit', n0: d.n0, m: d.m, X: Float32Array.from(d.X), Y: Float32Array.from(d.Y) };
}

function caseParameters(c: TrainerCase): Parameters | undefined {
  if (!c.parameters) return undefined;
  return { sizes: c.sizes, W: c.parameters.W.map((w) => Float64Array.from(w)), b: c.parameters.b.map((b) => Float64Array.from(b)) };
}


const toParameters = (sizes: number[], p: Plain): Parameters => ({ sizes, W: p.W.map((w) => Float64Array.from(w)), b: p.b.map((b) => Float64Array.from(b)) });
const caseState = (c: TrainerCase): OptimizerState | undefined =>
  c.state && { t: c.state.t, start: c.state.start, v: c.state.v && toParameters(c.sizes, c.state.v), s: c.state.s && toParameters(c.sizes, c.state.s) };
const plainState = (st: OptimizerState): PlainState => ({ t: st.t, ...(st.start ? { start: st.start } : {}), v: st.v && plain(st.v), s: st.s && plain(st.s) });

async function makeTrainer(c: TrainerCase, device?: GPUDevice): Promise<Trainer> {
  device ??= (await getGpu()).device;
  return Trainer.create(device, { ...c, parameters: caseParameters(c), state: caseState(c) }, caseData(c));
}

/**
 * `steps` steps with the cost logged at every step; returns the costs, the final
 * parameters and optimizer state, evaluate(), and which variant ran. With
 * `resumeAfter`, the trainer is destroyed after that many steps and a new one,
 * made from its getState(), takes the rest.
 */
async function generalRun(c: TrainerCase & { steps: number; resumeAfter?: number; raise?: Raise; evaluateOn?: { n0: number; m: number; X: number[]; Y: number[] } }) {
  return withDevice(async (device) => {
    let trainer = await makeTrainer(c);
    const history: { step: number; cost: number; accuracy: number }[] = [];
    let epochsAfterFirst = NaN;
    try {
      if (c.raise) {
        // Steps at the case's learning rate, then the rest at raise.learningRate (as a playground user does).
        history.push(...(await trainer.train({ steps: c.raise.after, logEvery: 1 })).history.filter((h) => h.step < c.raise!.after));
        await trainer.setLearningRate(c.raise.learningRate);
        const rest = await trainer.train({ steps: c.steps - c.raise.after, logEvery: 1 });
        history.push(...rest.history.filter((h) => h.step < c.steps));
        const { params, state } = await trainer.getState();
        return { history, params: plain(params), state: plainState(state), variant: trainer.variant, epochs: trainer.epochs, epochsAfterFirst, metrics: await trainer.evaluate(), testMetrics: null };
      }
      const first = c.resumeAfter ?? c.steps;
      history.push(...(await trainer.train({ steps: first, logEvery: 1 })).history.filter((h) => h.step < first));
      epochsAfterFirst = trainer.epochs;
      if (c.resumeAfter !== undefined) {
        const { params, state } = await trainer.getState();
        trainer.destroy();
        trainer = await makeTrainer({ ...c, parameters: plain(params), state: plainState(state) });
        const rest = await trainer.train({ steps: c.steps - first, logEvery: 1 });
        history.push(...rest.history.filter((h) => h.step < c.steps - first).map((h) => ({ ...h, step: h.step + first })));
      }
      const { params, state } = await trainer.getState();
      const test = c.evaluateOn && { ...c.evaluateOn, name: 'test', X: Float32Array.from(c.evaluateOn.X), Y: Float32Array.from(c.evaluateOn.Y) };
      return {
        history, params: plain(params), state: plainState(state), variant: trainer.variant, epochs: trainer.epochs, epochsAfterFirst,
        metrics: await trainer.evaluate(), testMetrics: test ? await trainer.evaluate(test) : null,
      };
    } finally {
      trainer.destroy();
    }
  });
}

/** One gradient step; returns every tensor of the step and the parameters after it. */
async function oneStep(c: TrainerCase) {
  return withDevice(async (device) => {
    const trainer = await makeTrainer(c);
    try {
      const before = plain(await trainer.getParameters());
      const L = c.sizes.length - 1;
      const tensors: Record<string, number[]> = {};
      // The tensors this variant's program keeps (the simple step: every intermediate; the
      // fused ones: none of Z, A, dZ, whose readTensor is an InputError naming what is kept).
      const kept = new Set(trainer.tensorNames);
      const read = async (names: string[]) => {
        for (let l = 1; l <= L; l++) for (const n of names) if (kept.has(`${n}${l}`)) tensors[`${n}${l}`] = [...(await trainer.readTensor(`${n}${l}`))];
      };
      // Z and A of the starting parameters: train() ends with an evaluation that
      // runs the forward pass again on the updated ones.
      await trainer.evaluate();
      await read(['Z', 'A']);
      const run = await trainer.train({ steps: 1, logEvery: 1 });
      await read(['dW', 'db', 'dZ']);
      if (trainer.variant === 'simple' && Object.keys(tensors).length !== 5 * L) throw new Error(`the simple step keeps Z, A, dW, db, dZ of every layer; read ${Object.keys(tensors)}`);
      return { before, after: plain(await trainer.getParameters()), history: run.history, tensors, variant: trainer.variant };
    } finally {
      trainer.destroy();
    }
  });
}

/** `steps` steps; returns the history, final parameters and evaluation. */
async function trainRun(c: TrainerCase & { steps: number; logEvery?: number }) {
  return withDevice(async (device) => {
    const trainer = await makeTrainer(c);
    try {
      const t0 = performance.now();
      const run = await trainer.train({ steps: c.steps, logEvery: c.logEvery });
      const seconds = (performance.now() - t0) / 1000;
      return { ...run, seconds, params: plain(await trainer.getParameters()), metrics: await trainer.evaluate() };
    } finally {
      trainer.destroy();
    }
  });
}

/**
 * `steps` steps with a test set evaluated at every logged step (train's `test`
 * option), and the same run again in pieces of logEvery steps with evaluate(test)
 * before each: what the option must equal.
 */
async function testedRun(c: TrainerCase & { steps: number; logEvery: number; testEvery?: number; test: { n0: number; m: number; X: number[]; Y: number[] } }) {
  return withDevice(async () => {
    const test = { ...c.test, name: 'test', X: Float32Array.from(c.test.X), Y: Float32Array.from(c.test.Y) };
    const tested = await makeTrainer(c);
    const pieces = await makeTrainer(c);
    try {
      const run = await tested.train({ steps: c.steps, logEvery: c.logEvery, testEvery: c.testEvery, test });
      const expected: { step: number; cost: number; test: Metrics }[] = [];
      for (let done = 0; done < c.steps; done += c.logEvery) {
        const before = await pieces.evaluate(test);
        const piece = await pieces.train({ steps: Math.min(c.logEvery, c.steps - done), logEvery: c.logEvery });
        expected.push({ step: done, cost: piece.history[0].cost, test: before });
      }
      expected.push({ step: c.steps, cost: (await pieces.evaluate()).cost, test: await pieces.evaluate(test) });
      return { history: run.history, expected, variant: tested.variant };
    } finally {
      tested.destroy();
      pieces.destroy();
    }
  });
}

/**
 * Destroys every buffer of a new trainer under it, then sets α and the parameters:
 * each queue write must reject with a typed error, not reach the device's
 * uncaptured errors (withDevice's own scopes would fail the call then).
 */
async function failedWrites(c: TrainerCase) {
  return withDevice(async (device) => {
    const made: GPUBuffer[] = [];
    const create = device.createBuffer;
    device.createBuffer = (d: GPUBufferDescriptor) => {
      const buffer = create.call(device, d);
      made.push(buffer);
      return buffer;
    };
    let trainer: Trainer;
    try {
      trainer = await makeTrainer(c, device);
    } finally {
      device.createBuffer = create;
    }
    const outcome = (p: Promise<void>) => p.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
    try {
      for (const buffer of made) buffer.destroy();
      return {
        variant: trainer.variant,
        learningRate: await outcome(trainer.setLearningRate(0.5)),
        parameters: await outcome(trainer.setParameters(initParameters(c.sizes, 'xavier', 1))),
      };
    } finally {
      trainer.destroy();
    }
  });
}

/** The kernels evaluate(data) runs for a trainer of this case (its variant forced or not). */
async function evaluationKernelsOf(c: TrainerCase & { evaluateOn: { n0: number; m: number; X: number[]; Y: number[] } }) {
  return withDevice(async () => {
    const trainer = await makeTrainer(c);
    try {
      await trainer.evaluate({ ...c.evaluateOn, name: 'test', X: Float32Array.from(c.evaluateOn.X), Y: Float32Array.from(c.evaluateOn.Y) });
      return { variant: trainer.variant, evaluation: trainer.evaluationVariant };
    } finally {
      trainer.destroy();
    }
  });
}

/**
 * Trains with createCommandEncoder and queue.submit instrumented (wrapped, not
 * replaced): records each encoder's label and the labels in each submit.
 */
async function countEncoders(c: TrainerCase & { steps: number; logEvery?: number }) {
  const { device } = await getGpu();
  const trainer = await makeTrainer(c);
  const encoders: string[] = [];
  const submits: string[][] = [];
  const createCommandEncoder = device.createCommandEncoder.bind(device);
  const submit = device.queue.submit.bind(device.queue);
  device.createCommandEncoder = (d?: GPUCommandEncoderDescriptor) => {
    encoders.push(d?.label ?? '');
    return createCommandEncoder(d);
  };
  device.queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    const list = [...buffers];
    submits.push(list.map((b) => b.label));
    return submit(list);
  };
  try {
    const run = await trainer.train({ steps: c.steps, logEvery: c.logEvery });
    return { encoders, submits, steps: run.steps };
  } finally {
    device.createCommandEncoder = createCommandEncoder;
    device.queue.submit = submit;
    trainer.destroy();
  }
}

/** Trains and stops part-way through with an AbortSignal. */
async function stopEarly(c: TrainerCase & { steps: number; stopAfter: number }) {
  const trainer = await makeTrainer(c);
  try {
    const controller = new AbortController();
    const run = await trainer.train({
      steps: c.steps,
      logEvery: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step >= c.stopAfter) controller.abort();
      },
    });
    const again = await trainer.train({ steps: 5, logEvery: 1 });
    return { run, again, stepsDone: trainer.stepsDone };
  } finally {
    trainer.destroy();
  }
}

/**
 * Trainer.create with options and data that may be wrong; returns "Name: message"
 * of what it threw, or "no error". `patch` edits the flower data set first.
 */
export interface TryCreateCase {
  options: Record<string, unknown>;
  patch?: 'short Y' | 'NaN X' | 'label 2' | 'plain arrays';
}

async function tryCreate(c: TryCreateCase) {
  const { device } = await getGpu();
  const data: Dataset = makeDataset('flower');
  if (c.patch === 'short Y') data.Y = data.Y.subarray(1);
  if (c.patch === 'NaN X') data.X[5] = NaN;
  if (c.patch === 'label 2') data.Y[3] = 2;
  if (c.patch === 'plain arrays') Object.assign(data, { X: [...data.X] });
  try {
    const trainer = await Trainer.create(device, c.options as never, data);
    trainer.destroy();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** Trainer.create with these options and data; "Name: message" of what it threw, or "no error". */
async function tryCreateWith(c: { options: Record<string, unknown>; data: { n0: number; m: number; X: number[]; Y: number[] } }) {
  const { device } = await getGpu();
  try {
    const trainer = await Trainer.create(device, c.options as never, caseData({ data: c.data } as TrainerCase));
    trainer.destroy();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

const allFinite = (p: { W: number[][]; b: number[][] }) => [...p.W, ...p.b].every((a) => a.every(Number.isFinite));

/**
 * Trains with a learning rate that diverges; returns what train() threw, the
 * checkpoint it kept, and what a fresh trainer does with exactly that many steps.
 */
async function divergeRun(c: TrainerCase & { steps: number; raise?: Raise }) {
  const trainer = await makeTrainer(c);
  try {
    let error: { name: string; message: string; step?: number } | null = null;
    try {
      if (c.raise) {
        await trainer.train({ steps: c.raise.after, logEvery: 10 });
        await trainer.setLearningRate(c.raise.learningRate);
      }
      await trainer.train({ steps: c.steps - (c.raise?.after ?? 0), logEvery: 10 });
    } catch (e) {
      error = { name: (e as Error).name, message: (e as Error).message, step: (e as { step?: number }).step };
    }
    const { params, state } = await trainer.getState();
    const kept = plain(params);
    const keptState = plainState(state);
    const checkpoint = trainer.checkpoint && { step: trainer.checkpoint.step, params: plain(trainer.checkpoint.params), state: plainState(trainer.checkpoint.state) };
    const stepsDone = trainer.stepsDone;
    // The trainer is still usable after a divergence, at the kept parameters.
    const afterCost = (await trainer.evaluate()).cost;
    return { error, kept, keptState, keptFinite: allFinite(kept), checkpoint, stepsDone, afterCost };
  } finally {
    trainer.destroy();
  }
}

/**
 * Trains on a device of its own and destroys that device from outside once
 * `loseAfter` steps are reported; then resumes from trainer.checkpoint on a
 * new device.
 */
async function loseDevice(c: TrainerCase & { steps: number; loseAfter: number }) {
  const first = await request();
  const trainer = await Trainer.create(first.device, { ...c, parameters: caseParameters(c), state: caseState(c) }, caseData(c));
  let lastLogged = { step: 0, cost: NaN };
  let error: { name: string; message: string } | null = null;
  try {
    await trainer.train({
      steps: c.steps,
      logEvery: 50,
      onProgress: (p) => {
        lastLogged = p;
        // The first checkpoint comes at once, then about once a second: pull the
        // device once one from well into training exists.
        if (p.step >= c.loseAfter && (trainer.checkpoint?.step ?? 0) >= c.loseAfter / 3) first.device.destroy();
      },
    });
  } catch (e) {
    error = { name: (e as Error).name, message: (e as Error).message };
  }
  let afterLoss = 'no error';
  try {
    await trainer.evaluate();
  } catch (e) {
    afterLoss = (e as Error).name;
  }
  const checkpoint = trainer.checkpoint!;
  trainer.destroy();
  const second = await request();
  const resumed = await Trainer.create(second.device, { ...c, parameters: checkpoint.params, state: checkpoint.state }, caseData(c));
  try {
    const start = await resumed.evaluate();
    const run = await resumed.train({ steps: 500, logEvery: 100 });
    return {
      error, afterLoss, lastLogged, checkpointStep: checkpoint.step, checkpointFinite: allFinite(plain(checkpoint.params)),
      resumedStartCost: start.cost, resumedEndCost: run.history[run.history.length - 1].cost,
    };
  } finally {
    resumed.destroy();
    second.device.destroy();
  }
}

/**
 * Trains on a device of its own, destroys it from outside once `loseAfter` steps are
 * reported and a checkpoint past loseAfter / 3 exists, then makes a trainer on a new
 * device from trainer.checkpoint (parameters and optimizer state) and takes `more`
 * steps: returns the error, the checkpoint, and the resumed run's state.
 */
async function loseDeviceResume(c: TrainerCase & { loseAfter: number; more: number }) {
  const first = await request();
  const trainer = await Trainer.create(first.device, { ...c, parameters: caseParameters(c), state: caseState(c) }, caseData(c));
  let error: { name: string; message: string } | null = null;
  try {
    await trainer.train({
      steps: 1_000_000,
      logEvery: 10,
      onProgress: (p) => {
        if (p.step >= c.loseAfter && (trainer.checkpoint?.step ?? 0) >= c.loseAfter / 3) first.device.destroy();
      },
    });
  } catch (e) {
    error = { name: (e as Error).name, message: (e as Error).message };
  }
  const checkpoint = trainer.checkpoint!;
  trainer.destroy();
  const second = await request();
  const resumed = await Trainer.create(second.device, { ...c, parameters: checkpoint.params, state: checkpoint.state }, caseData(c));
  try {
    await resumed.train({ steps: c.more, logEvery: c.more });
    const { params, state } = await resumed.getState();
    return {
      error,
      checkpoint: { step: checkpoint.step, params: plain(checkpoint.params), state: plainState(checkpoint.state) },
      resumed: { params: plain(params), state: plainState(state), epochs: resumed.epochs },
    };
  } finally {
    resumed.destroy();
    second.device.destroy();
  }
}

/** A flower set of m examples, one step, the gradients, and predictions on a sample. */
async function bigData(c: { m: number; n1: number; maxBindingBytes?: number; sample: number[]; variant?: 'simple' | 'auto' }) {
  return withDevice(async (device) => {
    const data = makeDataset('flower', { m: c.m });
    const sizes = [2, c.n1, 1];
    const trainer = await Trainer.create(device, { sizes, activation: 'tanh', learningRate: 1, init: 'xavier', seed: 2, maxBindingBytes: c.maxBindingBytes, variant: c.variant }, data);
    try {
      const before = await trainer.evaluate();
      await trainer.train({ steps: 1, logEvery: 1 });
      const grads: Record<string, number[]> = {};
      for (const n of ['dW1', 'db1', 'dW2', 'db2']) grads[n] = [...(await trainer.readTensor(n))];
      const Xs = new Float32Array(2 * c.sample.length);
      c.sample.forEach((j, k) => {
        Xs[k] = data.X[j];
        Xs[c.sample.length + k] = data.X[c.m + j];
      });
      const predictions = [...(await trainer.predict(Xs, c.sample.length))];
      return { before, grads, predictions, after: plain(await trainer.getParameters()) };
    } finally {
      trainer.destroy();
    }
  });
}

/** Per-kernel GPU times of one step (timestamp queries), `repeats` steps taken. */
async function profile(c: TrainerCase & { repeats: number }) {
  const trainer = await makeTrainer(c);
  try {
    const times = await trainer.profileStep(c.repeats);
    return { times, stepsDone: trainer.stepsDone, variant: trainer.variant, params: plain(await trainer.getParameters()) };
  } finally {
    trainer.destroy();
  }
}

async function adapter() {
  const g = await getGpu();
  return { name: g.adapterName, fallback: isFallbackDevice(g.device), limits: { maxStorageBufferBindingSize: g.device.limits.maxStorageBufferBindingSize } };
}

/** A run of a chosen step variant on explicit data and parameters (the fast-step and tiled-step specs). */
export interface FastCase {
  variant: StepVariant;
  sizes: number[];
  activation: Activation;
  learningRate: number;
  data: { n0: number; m: number; X: number[]; Y: number[] };
  parameters: { W: number[][]; b: number[][] };
  steps: number;
  logEvery?: number;
  /** Bytes per storage binding (smaller forces chunks of examples). */
  maxBindingBytes?: number;
  /** Data to evaluate() after training (a test set). */
  evaluate?: { n0: number; m: number; X: number[]; Y: number[] };
}

/** `steps` steps with `variant`; the parameters and gradients after, the history, the kernels and the evaluation. */
async function fastTrain(c: FastCase) {
  return withDevice(async (device) => {
    const data = { name: 'explicit', n0: c.data.n0, m: c.data.m, X: Float32Array.from(c.data.X), Y: Float32Array.from(c.data.Y) };
    const parameters = toParameters(c.sizes, c.parameters);
    const trainer = await Trainer.create(device, { ...c, parameters, stepsPerSubmit: 16 }, data);
    try {
      const run = await trainer.train({ steps: c.steps, logEvery: c.logEvery ?? 1 });
      const grads: Record<string, number[]> = {};
      for (const n of ['dW1', 'db1', 'dW2', 'db2']) grads[n] = [...(await trainer.readTensor(n))];
      const e = c.evaluate;
      const metrics = e ? await trainer.evaluate({ name: 'test', n0: e.n0, m: e.m, X: Float32Array.from(e.X), Y: Float32Array.from(e.Y) }) : null;
      const evaluation = metrics && { ...metrics, variant: trainer.evaluationVariant };
      return { variant: trainer.variant, kernels: [...trainer.stepKernels], history: run.history, after: plain(await trainer.getParameters()), grads, evaluation };
    } finally {
      trainer.destroy();
    }
  });
}

export const harness = { adapter, generalRun, testedRun, failedWrites, evaluationKernelsOf, tryCreateWith, profile, tryCreate, divergeRun, loseDevice, loseDeviceResume, bigData, runKernel, oneStep, trainRun, fastTrain, countEncoders, stopEarly, initParameters: (s: number[], i: InitScheme, seed: number) => plain(initParameters(s, i, seed)) };
export type Harness = typeof harness;
if (typeof window !== 'undefined') {
  (window as unknown as { harness: Harness }).harness = harness;
  document.title = 'harness ready';
}
