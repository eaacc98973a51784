// Runs on the reliability test page: drives the real Trainer with bad input,
// injected GPU faults, odd lifecycles and random shapes, and returns plain data
// to the Playwright tests (e2e/reliability.spec.ts, faults.spec.ts, random.spec.ts).
// Errors come back as "Name: message" strings so the tests can match both.
import { datasetFromRows, toDataset } from '../src/data/from-arrays.ts';
import { makeDataset } from '../src/data/datasets.ts';
import { requestGpu, type Gpu, type GpuOptions } from '../src/gpu/device.ts';
import { Owner } from '../src/gpu/owner.ts';
import { bufferCounter } from '../src/testing/buffer-counter.ts';
import { getPipeline } from '../src/gpu/pipelines.ts';
import { parseModelJson, toModelJson } from '../src/model/model-json.ts';
import { initParameters } from '../src/model/init.ts';
import { Trainer, type TrainerOptions } from '../src/trainer.ts';
import type { Activation, Dataset, InitScheme, Parameters } from '../src/types.ts';
import { plain } from './fixtures/data.ts';

let shared: Promise<Gpu> | null = null;
const getGpu = () => (shared ??= requestGpu());

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${String(e)}`);
const outcome = async (work: () => Promise<unknown>): Promise<string> => {
  try {
    await work();
    return 'no error';
  } catch (e) {
    return describe(e);
  }
};
const sameBits = (a: Parameters, b: Parameters): boolean =>
  a.W.every((w, l) => w.length === b.W[l].length && w.every((v, i) => Object.is(v, b.W[l][i]))) &&
  a.b.every((v, l) => v.length === b.b[l].length && v.every((x, i) => Object.is(x, b.b[l][i])));

// ---- Counting GPU work --------------------------------------------------------

const COUNTED = ['createBuffer', 'createCommandEncoder', 'createShaderModule', 'createBindGroup', 'createComputePipeline', 'createComputePipelineAsync'] as const;

/**
 * Runs `work` with the device's object-creating methods and queue.submit /
 * writeBuffer wrapped (not replaced) to count calls, inside validation and
 * out-of-memory error scopes. Returns the calls, Owner.live before and after,
 * and what the scopes caught.
 */
async function countGpuWork(device: GPUDevice, work: () => Promise<unknown>) {
  const calls: Record<string, number> = {};
  const saved: [object, string, unknown][] = [];
  const wrap = (target: object, name: string) => {
    const original = (target as Record<string, (...a: unknown[]) => unknown>)[name];
    saved.push([target, name, original]);
    (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return original.apply(target, args);
    };
  };
  COUNTED.forEach((n) => wrap(device, n));
  wrap(device.queue, 'submit');
  wrap(device.queue, 'writeBuffer');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const liveBefore = Owner.live;
  let error: string;
  try {
    error = await outcome(work);
  } finally {
    for (const [target, name] of saved) delete (target as Record<string, unknown>)[name]; // back to the prototype's method
  }
  const liveAfter = Owner.live;
  const scoped = (await Promise.all([device.popErrorScope(), device.popErrorScope()])).filter(Boolean).map((e) => e!.message);
  return { error, calls, liveBefore, liveAfter, scoped };
}

// ---- 1. Bad input -------------------------------------------------------------

const flower = (): Dataset => makeDataset('flower', { m: 40 });
const ok: TrainerOptions = { sizes: [2, 4, 1], learningRate: 1 };
const withData = (patch: Partial<Record<keyof Dataset, unknown>>) => ({ ...flower(), ...patch }) as Dataset;
const nanAt = (i: number, v: number) => {
  const d = flower();
  d.X[i] = v;
  return d;
};
const labelAt = (j: number, v: number) => {
  const d = flower();
  d.Y[j] = v;
  return d;
};

type Create = [TrainerOptions, () => Dataset];
const createCases: Record<string, Create> = {
  'X one entry short': [ok, () => withData({ X: flower().X.subarray(1) })],
  'Y one entry long': [ok, () => withData({ Y: new Float32Array(41) })],
  'm = 0': [ok, () => ({ name: 'empty', n0: 2, m: 0, X: new Float32Array(0), Y: new Float32Array(0) })],
  'n0 = 0': [ok, () => ({ name: 'empty', n0: 0, m: 40, X: new Float32Array(0), Y: new Float32Array(40) })],
  'm = 2.5': [ok, () => withData({ m: 2.5 })],
  'm = -40': [ok, () => withData({ m: -40 })],
  'X number[]': [ok, () => withData({ X: [...flower().X] })],
  'X Float64Array': [ok, () => withData({ X: Float64Array.from(flower().X) })],
  'X Uint8Array of the right byte length': [ok, () => withData({ X: new Uint8Array(80 * 4) })],
  'X ArrayBuffer': [ok, () => withData({ X: new Float32Array(80).buffer })],
  'NaN at X[37]': [ok, () => nanAt(37, NaN)],
  '-Infinity at X[3]': [ok, () => nanAt(3, -Infinity)],
  'label 2 at Y[5]': [ok, () => labelAt(5, 2)],
  'label 0.5 at Y[0]': [ok, () => labelAt(0, 0.5)],
  'label NaN at Y[39]': [ok, () => labelAt(39, NaN)],
  'ragged rows (datasetFromRows)': [ok, () => datasetFromRows([[1, 2], [3], [5, 6]], [0, 1, 1])],
  'learning rate 0': [{ ...ok, learningRate: 0 }, flower],
  'learning rate -0.5': [{ ...ok, learningRate: -0.5 }, flower],
  'learning rate NaN': [{ ...ok, learningRate: NaN }, flower],
  'learning rate Infinity': [{ ...ok, learningRate: Infinity }, flower],
  'learning rate "1.2"': [{ ...ok, learningRate: '1.2' as unknown as number }, flower],
  'hidden units 0': [{ ...ok, sizes: [2, 0, 1] }, flower],
  'hidden units 2.5': [{ ...ok, sizes: [2, 2.5, 1] }, flower],
  'hidden units -4': [{ ...ok, sizes: [2, -4, 1] }, flower],
  'hidden units 10^9': [{ ...ok, sizes: [2, 1e9, 1] }, flower],
  'hidden units 2^24 with m = 40': [{ ...ok, sizes: [2, 2 ** 24, 1] }, flower],
  'hidden units 2000 on a 4 KiB binding': [{ ...ok, sizes: [2, 2000, 1], maxBindingBytes: 4096 } as TrainerOptions, flower],
  'n0 3 for 2-feature data': [{ ...ok, sizes: [3, 4, 1] }, flower],
  'stepsPerSubmit 0': [{ ...ok, stepsPerSubmit: 0 }, flower],
  'parameters for [2, 5, 1]': [{ ...ok, parameters: initParameters([2, 5, 1], 'course', 1) }, flower],
};

let inputTrainer: Promise<Trainer> | null = null;
const getInputTrainer = async () => (inputTrainer ??= Trainer.create((await getGpu()).device, ok, flower()));

const useCases: Record<string, (t: Trainer) => Promise<unknown>> = {
  'train steps 0': (t) => t.train({ steps: 0 }),
  'train steps -5': (t) => t.train({ steps: -5 }),
  'train steps 2.5': (t) => t.train({ steps: 2.5 }),
  'train steps NaN': (t) => t.train({ steps: NaN }),
  'train without options': (t) => t.train(undefined as never),
  'train logEvery 0': (t) => t.train({ steps: 10, logEvery: 0 }),
  'train logEvery 1.5': (t) => t.train({ steps: 10, logEvery: 1.5 }),
  'predict X one entry short': (t) => t.predict(new Float32Array(2 * 10 - 1), 10),
  'predict m 0': (t) => t.predict(new Float32Array(0), 0),
  'predict m 1.5': (t) => t.predict(new Float32Array(3), 1.5),
  'predict NaN at X[7]': (t) => t.predict(Float32Array.from({ length: 20 }, (_, i) => (i === 7 ? NaN : i)), 10),
  'predict Uint8Array': (t) => t.predict(new Uint8Array(20), 10),
  'evaluate data with n0 3': (t) => t.evaluate({ name: 'x', n0: 3, m: 2, X: new Float32Array(6), Y: new Float32Array(2) }),
  'evaluate data with label 2 at Y[1]': (t) => t.evaluate({ name: 'x', n0: 2, m: 2, X: new Float32Array(4), Y: new Float32Array([0, 2]) }),
  'evaluate data with X number[]': (t) => t.evaluate({ name: 'x', n0: 2, m: 2, X: [1, 2, 3, 4], Y: new Float32Array(2) } as never),
  'setLearningRate(-1)': async (t) => t.setLearningRate(-1),
};

/** One named bad-input case; the trainer for use cases is made before counting starts. */
async function inputCase(name: string) {
  const { device } = await getGpu();
  if (name in createCases) {
    const [options, data] = createCases[name];
    return countGpuWork(device, async () => (await Trainer.create(device, options, data())).destroy());
  }
  const trainer = await getInputTrainer();
  return countGpuWork(device, () => useCases[name](trainer));
}

// ---- 2. GPU faults ------------------------------------------------------------

/** requestGpu in this page (maybe a page without WebGPU); "ok: adapter" or the error. */
async function tryRequestGpu(options: GpuOptions & { limitAboveAdapter?: string } = {}) {
  const { limitAboveAdapter, ...rest } = options;
  if (limitAboveAdapter) {
    const adapter = await navigator.gpu.requestAdapter();
    const max = (adapter!.limits as unknown as Record<string, number>)[limitAboveAdapter];
    rest.requiredLimits = { [limitAboveAdapter]: max + 1 };
  }
  try {
    const gpu = await requestGpu(rest);
    gpu.device.destroy();
    return `ok: ${gpu.adapterName}`;
  } catch (e) {
    return describe(e);
  }
}

const environment = () => ({ secure: isSecureContext, hasGpu: 'gpu' in navigator && navigator.gpu !== undefined });

/** getPipeline on WGSL that does not compile; returns the error and its fields. */
async function compileBroken(source: { name: string; code: string }) {
  const { device } = await getGpu();
  try {
    await getPipeline(device, source);
    return { error: 'no error', kernel: '', messages: [] as unknown[] };
  } catch (e) {
    const err = e as Error & { kernel?: string; messages?: unknown[] };
    return { error: describe(e), kernel: err.kernel ?? '', messages: err.messages ?? [] };
  }
}

/** getPipeline on WGSL that compiles but cannot make this pipeline. */
async function pipelineInvalid(source: { name: string; code: string }) {
  const { device } = await getGpu();
  return outcome(() => getPipeline(device, source));
}

type Op = 'train' | 'predict' | 'evaluate' | 'evaluate(data)' | 'getParameters';
const runOp = (t: Trainer, op: Op, data: Dataset): Promise<unknown> => {
  if (op === 'train') return t.train({ steps: 70, logEvery: 10 });
  if (op === 'predict') return t.predict(data.X, data.m);
  if (op === 'evaluate') return t.evaluate();
  if (op === 'evaluate(data)') return t.evaluate(data);
  return t.getParameters();
};
const summarize = (r: unknown): string => {
  if (r instanceof Float32Array) return `numbers: Float32Array(${r.length}) [${[...r.slice(0, 3)]}…]`;
  if (r && typeof r === 'object' && 'cost' in r) return `numbers: cost ${(r as { cost: number }).cost}`;
  if (r && typeof r === 'object' && 'history' in r) return `numbers: history ${JSON.stringify((r as { history: unknown[] }).history.slice(-1))}`;
  if (r && typeof r === 'object' && 'W' in r) return `numbers: W1[0] ${(r as Parameters).W[1][0]}`;
  return `value ${String(r)}`;
};

/** Frees one of a trainer's buffers behind its back, then runs `op`. */
async function destroyedBuffer(c: { buffer: 'X' | 'P' | 'Y'; op: Op }) {
  const { device } = await requestGpu(); // a device of its own: the errors stay out of other tests
  const data = flower();
  const trainer = await Trainer.create(device, ok, data);
  await trainer.predict(data.X, data.m); // the predict buffers exist before the fault
  const b = (trainer as unknown as { b: Record<string, { buffer: GPUBuffer }> }).b;
  b[c.buffer].buffer.destroy();
  try {
    return summarize(await runOp(trainer, c.op, data));
  } catch (e) {
    return describe(e);
  } finally {
    trainer.destroy();
    device.destroy();
  }
}

/** Destroys the device while `op` waits for its readback. */
async function deviceDestroyedDuring(op: Op) {
  const { device } = await requestGpu();
  const data = flower();
  const trainer = await Trainer.create(device, ok, data);
  await trainer.predict(data.X, data.m);
  const pending = runOp(trainer, op, data);
  // Let the call reach its mapAsync, then pull the device away.
  await new Promise((r) => setTimeout(r, 0));
  device.destroy();
  try {
    return summarize(await pending);
  } catch (e) {
    return describe(e);
  } finally {
    trainer.destroy();
  }
}

/** Destroys every buffer right after mapAsync is called on it: mapAsync rejects. */
async function stagingDestroyedDuring(op: Op) {
  const { device } = await requestGpu();
  const data = flower();
  const trainer = await Trainer.create(device, ok, data);
  await trainer.predict(data.X, data.m);
  const mapAsync = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, ...args: [GPUMapModeFlags, number?, number?]) {
    const mapping = mapAsync.apply(this, args);
    this.destroy();
    return mapping;
  };
  try {
    return summarize(await runOp(trainer, op, data));
  } catch (e) {
    return describe(e);
  } finally {
    GPUBuffer.prototype.mapAsync = mapAsync;
    trainer.destroy();
    device.destroy();
  }
}

// ---- 3. Lifecycle -------------------------------------------------------------

async function afterDestroy() {
  const { device } = await getGpu();
  const data = flower();
  const t = await Trainer.create(device, ok, data);
  const params = await t.getParameters();
  t.destroy();
  const calls: Record<string, () => Promise<unknown>> = {
    train: () => t.train({ steps: 1 }),
    predict: () => t.predict(data.X, data.m),
    activations: () => t.activations(data.X, data.m),
    evaluate: () => t.evaluate(),
    'evaluate(data)': () => t.evaluate(data),
    getParameters: () => t.getParameters(),
    setParameters: async () => t.setParameters(params),
    setLearningRate: async () => t.setLearningRate(0.5),
    readTensor: () => t.readTensor('W1'),
  };
  const out: Record<string, string> = {};
  for (const [name, call] of Object.entries(calls)) out[name] = await outcome(call);
  out['destroy again'] = await outcome(async () => t.destroy());
  return out;
}

/** Two train() calls at once on one trainer, against one run of the same steps alone. */
async function concurrentTrain(c: { steps: number }) {
  const { device } = await getGpu();
  const data = flower();
  const [a, alone] = await Promise.all([Trainer.create(device, ok, data), Trainer.create(device, ok, data)]);
  try {
    const first = a.train({ steps: c.steps, logEvery: 10 });
    const second = await outcome(() => a.train({ steps: 5 }));
    const firstRun = await first;
    const aloneRun = await alone.train({ steps: c.steps, logEvery: 10 });
    const [pa, pb] = [await a.getParameters(), await alone.getParameters()];
    return {
      second,
      firstSteps: firstRun.steps,
      stepsDone: a.stepsDone,
      sameHistory: JSON.stringify(firstRun.history) === JSON.stringify(aloneRun.history),
      sameBits: sameBits(pa, pb),
    };
  } finally {
    a.destroy();
    alone.destroy();
  }
}

/** destroy() while train() runs: train settles (no hang) with a typed error or stopped. */
async function destroyDuringTrain() {
  const { device } = await getGpu();
  const t = await Trainer.create(device, ok, flower());
  const run = t.train({ steps: 100_000, logEvery: 100, onProgress: (p) => p.step >= 200 && t.destroy() });
  return outcome(() => run);
}

/**
 * `cycles` create/destroy cycles (every 10th also predicts and evaluates other
 * data). Counts buffers two ways: Owner.live, and the soaks' counter of every
 * buffer the device made and did not destroy (staging buffers included).
 */
async function createDestroyCycles(c: { cycles: number }) {
  const counter = bufferCounter();
  const { device } = await getGpu();
  const data = makeDataset('xor', { m: 16 });
  const liveStart = Owner.live;
  const buffersStart = counter.live(device);
  const t0 = performance.now();
  let maxLive = 0;
  for (let i = 0; i < c.cycles; i++) {
    const t = await Trainer.create(device, { sizes: [2, 3, 1], learningRate: 0.5, seed: i }, data);
    if (i % 10 === 0) {
      await t.train({ steps: 2, logEvery: 1 });
      await t.predict(data.X, data.m);
      await t.evaluate(data);
    }
    maxLive = Math.max(maxLive, Owner.live - liveStart);
    t.destroy();
  }
  return { liveStart, liveEnd: Owner.live, maxLive, undestroyed: counter.live(device) - buffersStart, seconds: (performance.now() - t0) / 1000 };
}

/** stop() part-way, then train the rest: the same bits as one uninterrupted run. */
async function stopAndResume(c: { steps: number; stopAt: number }) {
  const { device } = await getGpu();
  const data = flower();
  const [a, b] = await Promise.all([Trainer.create(device, ok, data), Trainer.create(device, ok, data)]);
  try {
    const part = await a.train({ steps: c.steps, logEvery: 1, onProgress: (p) => p.step >= c.stopAt && a.stop() });
    const rest = await a.train({ steps: c.steps - part.steps, logEvery: 1 });
    await b.train({ steps: c.steps, logEvery: 50 });
    return {
      stopped: part.stopped,
      firstSteps: part.steps,
      restSteps: rest.steps,
      stepsDone: a.stepsDone,
      sameBits: sameBits(await a.getParameters(), await b.getParameters()),
    };
  } finally {
    a.destroy();
    b.destroy();
  }
}

// ---- 4. Files -----------------------------------------------------------------

/** Trains, saves model.json text, loads it into a new trainer: same bits, same cost. */
async function modelRoundTrip(c: { sizes: number[]; activation: Activation; steps: number }) {
  const { device } = await getGpu();
  const data = makeDataset('moons', { m: 64 });
  const options = { sizes: c.sizes, activation: c.activation, learningRate: 0.8, init: 'xavier' as InitScheme };
  const a = await Trainer.create(device, options, toDataset({ ...data, X: [...data.X], Y: [...data.Y] }));
  let b: Trainer | null = null;
  try {
    await a.train({ steps: c.steps, logEvery: c.steps });
    const saved = await a.getParameters();
    const text = JSON.stringify(toModelJson(saved, a.activation), null, 2);
    const loaded = parseModelJson(text, 'model.json');
    b = await Trainer.create(device, { ...options, activation: loaded.activation, parameters: loaded.params }, data);
    const back = await b.getParameters();
    return {
      sameBits: sameBits(saved, back),
      activation: loaded.activation,
      costs: [(await a.evaluate()).cost, (await b.evaluate()).cost],
      bytes: text.length,
    };
  } finally {
    a.destroy();
    b?.destroy();
  }
}

const rel = {
  environment, tryRequestGpu, inputCase, compileBroken, pipelineInvalid, destroyedBuffer, deviceDestroyedDuring,
  stagingDestroyedDuring, afterDestroy, concurrentTrain, destroyDuringTrain, createDestroyCycles, stopAndResume,
  modelRoundTrip,
  inputCaseNames: async () => [...Object.keys(createCases), ...Object.keys(useCases)],
};
export type ReliabilityHarness = typeof rel;
(window as unknown as { rel: ReliabilityHarness }).rel = rel;
document.title = 'reliability harness ready';
