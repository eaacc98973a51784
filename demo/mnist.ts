// The MNIST page: loads the digits, trains a softmax network on the visitor's GPU
// epoch by epoch (test accuracy, examples/s, epochs/s, the confusion matrix and the
// most confidently wrong digits after each), and classifies what the visitor draws.
import { DeviceLostError, DivergenceError, GpuUnavailableError } from '../src/errors.ts';
import { Owner } from '../src/gpu/owner.ts';
import { requestGpu, type Gpu } from '../src/gpu/device.ts';
import { MNIST_PIXELS } from '../src/data/mnist-digits.ts';
import { drawLineChart } from '../src/plot/line-chart.ts';
import { Trainer } from '../src/trainer.ts';
import type { Dataset, OptimizerKind, OptimizerState, Parameters } from '../src/types.ts';
import { byId, el, fixed, grouped, percent, setText, showMessage } from './dom.ts';
import { loadMnist } from './mnist-data.ts';
import { attachChartHover } from './chart-hover.ts';
import { DrawingPad } from './mnist-pad.ts';
import { trainTfjs } from './mnist-tfjs.ts';
import type { TfBackend } from '../bench/contenders/tfjs.ts';

type PageState = 'loading' | 'ready' | 'training' | 'no-webgpu' | 'error';
const setState = (s: PageState) => (document.body.dataset.state = s);

const RATES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
/** A learning rate that works for each optimizer at these sizes (the CLI's MNIST recipe uses Adam at 0.001). */
const DEFAULT_RATE: Record<OptimizerKind, number> = { adam: 0.001, momentum: 0.03, sgd: 0.1 };
const GALLERY = 12;

let gpu: Gpu;
/** Why this browser has no WebGPU, when it has none: then only TF.js's wasm backend trains here. */
let noGpu: string | null = null;
/** The page's state between two runs. */
const idle = (): PageState => (noGpu ? 'no-webgpu' : 'ready');
/** Set when the page's device is lost (by the browser, a driver reset, or a test): the next use takes a new one. */
let deviceLost = false;
/** When devices were lost: after three in a minute the page stops asking for new ones. */
const losses: number[] = [];
let train: Dataset;
let test: Dataset;
let trainer: Trainer | null = null;
let running: AbortController | null = null;
const accuracy: { x: number; y: number }[] = [];
const tfjsAccuracy: { x: number; y: number }[] = [];
/** This trainer's examples/s over its last run, for the TF.js comparison. */
let ourRate = 0;

const select = (id: string) => byId<HTMLSelectElement>(id);

function fillRates(optimizer: OptimizerKind): void {
  const lr = select('lr');
  lr.replaceChildren(...RATES.map((r) => new Option(String(r), String(r), false, r === DEFAULT_RATE[optimizer])));
}

function settings() {
  const optimizer = select('optimizer').value as OptimizerKind;
  return {
    layers: select('layers').value.split(',').map(Number),
    optimizer,
    learningRate: Number(select('lr').value),
    batchSize: Math.min(Number(select('batch').value), train.m),
    epochs: Number(select('epochs').value),
  };
}

function drawChart(total: number): void {
  drawLineChart(byId<HTMLCanvasElement>('acc-chart'), [
    { label: 'this trainer', color: '#0877bd', points: accuracy },
    ...(tfjsAccuracy.length ? [{ label: 'TF.js', color: '#f59322', dash: true, points: tfjsAccuracy }] : []),
  ], {
    yMin: 0,
    yMax: 1,
    formatY: (v) => `${Math.round(v * 100)}%`,
    formatValue: (v) => `${(v * 100).toFixed(2)}%`,
    xLabel: `epoch (of ${total})`,
    integerX: true,
  });
}

/** The most probable class of each example from (10, m) probabilities. */
function answers(P: Float32Array, m: number): { label: number; p: number }[] {
  return Array.from({ length: m }, (_, j) => {
    let label = 0;
    for (let k = 1; k < 10; k++) if (P[k * m + j] > P[label * m + j]) label = k;
    return { label, p: P[label * m + j] };
  });
}

function showConfusion(said: { label: number }[]): void {
  const counts = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  said.forEach((a, j) => counts[test.Y[j]][a.label]++);
  const most = Math.max(...counts.flat());
  const table = byId<HTMLTableElement>('confusion');
  const head = el('tr');
  head.append(el('th', 'corner', 'true ↓ said →'), ...Array.from({ length: 10 }, (_, k) => el('th', '', String(k))));
  const rows = counts.map((row, t) => {
    const tr = el('tr');
    tr.append(el('th', '', String(t)), ...row.map((n, s) => {
      const td = el('td', t === s ? 'right' : n > 0 ? 'wrong' : '', String(n));
      td.style.setProperty('--share', String(n / most));
      return td;
    }));
    return tr;
  });
  table.replaceChildren(el('thead'), el('tbody'));
  table.tHead!.append(head);
  table.tBodies[0].append(...rows);
}

function showWorst(said: { label: number; p: number }[]): void {
  const wrong = said.map((a, j) => ({ ...a, j })).filter((a) => a.label !== test.Y[a.j]).sort((a, b) => b.p - a.p).slice(0, GALLERY);
  byId('gallery').replaceChildren(...wrong.map(({ j, label, p }) => {
    const figure = el('figure', 'digit');
    figure.setAttribute('role', 'listitem');
    const canvas = el('canvas');
    canvas.width = canvas.height = 28;
    const image = new ImageData(28, 28);
    for (let q = 0; q < MNIST_PIXELS; q++) {
      const v = 255 - Math.round(255 * test.X[q * test.m + j]);
      image.data.set([v, v, v, 255], 4 * q);
    }
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `a ${test.Y[j]} taken for a ${label}`);
    figure.append(canvas, el('figcaption', '', `${test.Y[j]} → ${label}, ${percent(p)}`));
    return figure;
  }));
}

/** The page's device, a new one when the last was lost. */
async function useGpu(): Promise<Gpu> {
  if (deviceLost) {
    gpu = await requestGpu();
    watchDevice();
  }
  return gpu;
}

function watchDevice(): void {
  deviceLost = false;
  const device = gpu.device;
  void device.lost.then(() => {
    if (gpu.device === device) deviceLost = true;
  });
}

type Start = { params: Parameters; state: OptimizerState };
/** Where the current trainer started (undefined: its seeded initialization), for a loss before its first checkpoint. */
let origin: Start | undefined;
/** Makes the run's trainer on the page's device, from a start or from its seeded initialization. */
let makeTrainer: ((from?: Start) => Promise<Trainer>) | null = null;

/**
 * After the device under `lost` went away: a new device and a trainer from the
 * checkpoint the old one left (parameters and the optimizer's state of one step:
 * the run goes on as if uninterrupted), or from where it began. Returns the
 * checkpoint's step in the old trainer's count (0: where it began).
 */
function recover(lost: Trainer): Promise<number> {
  // The pad and the run may both meet the same loss: one recovery serves both.
  let done = recoveries.get(lost);
  if (!done) recoveries.set(lost, (done = replace(lost)));
  return done;
}
const recoveries = new WeakMap<Trainer, Promise<number>>();

async function replace(lost: Trainer): Promise<number> {
  const now = Date.now();
  losses.push(now);
  if (losses.filter((at) => now - at < 60_000).length > 3) throw new Error('The GPU device was lost three times in a minute; not trying again. Reload the page to start over.');
  const kept = lost.checkpoint;
  if (kept) origin = { params: kept.params, state: kept.state };
  lost.destroy(); // Its buffers went with the device; the rest goes with destroy().
  deviceLost = true;
  await useGpu();
  trainer = await makeTrainer!(origin);
  const step = kept?.step ?? 0;
  showMessage(`The GPU device was lost; resumed from the checkpoint at step ${grouped(step)} of this run's trainer on a new device.`);
  return step;
}

/** Runs `work` on the page's trainer; when the device is lost meanwhile, recovers and runs it again on the new trainer. */
async function onGpu<T>(work: (t: Trainer) => Promise<T>): Promise<T> {
  for (;;) {
    const t = trainer!;
    try {
      return await work(t);
    } catch (error) {
      if (!(error instanceof DeviceLostError)) throw error;
      await recover(t);
    }
  }
}

/**
 * Takes `steps` more steps with the trainer, recovering from lost devices (the
 * steps after the kept checkpoint are taken again). Returns whether it was
 * stopped, and the last cost.
 */
async function trainSteps(steps: number, signal: AbortSignal): Promise<{ stopped: boolean; cost: number }> {
  let left = steps;
  for (;;) {
    const t = trainer!;
    const before = t.stepsDone;
    try {
      const run = await t.train({ steps: left, logEvery: left, signal });
      return { stopped: run.stopped, cost: run.history.at(-1)?.cost ?? Number.NaN };
    } catch (error) {
      if (!(error instanceof DeviceLostError)) throw error;
      left -= (await recover(t)) - before;
    }
  }
}

/** The run's first trainer; a device lost while its kernels compile gets a new device and another try. */
async function firstTrainer(): Promise<Trainer> {
  try {
    return await makeTrainer!();
  } catch (error) {
    // A device lost during creation can surface as any GPU error: the device's own flag says which.
    await Promise.race([gpu.device.lost, new Promise((r) => setTimeout(r, 100))]);
    if (!deviceLost) throw error;
    losses.push(Date.now());
    await useGpu();
    return makeTrainer!();
  }
}

async function trainNetwork(): Promise<void> {
  const s = settings();
  running = new AbortController();
  const { signal } = running;
  setState('training');
  busy(true);
  accuracy.length = 0;
  trainer?.destroy();
  trainer = null;
  const progress = byId<HTMLProgressElement>('progress');
  progress.value = 0;
  setText('epochs-total', String(s.epochs));
  setText('epoch', '0');
  try {
    await useGpu();
    makeTrainer = (from?: Start) => Trainer.create(gpu.device, {
      sizes: [MNIST_PIXELS, ...s.layers, 10], activation: 'relu', head: 'softmax', init: 'he', seed: 1,
      optimizer: s.optimizer, learningRate: s.learningRate, batchSize: s.batchSize,
      ...(from ? { parameters: from.params, state: from.state } : {}),
    }, train);
    origin = undefined;
    trainer = await firstTrainer();
    setText('variant', trainer.variant);
    // Where it starts: about one digit in ten.
    accuracy.push({ x: 0, y: (await onGpu((t) => t.evaluate(test))).accuracy });
    drawChart(s.epochs);
    let trainSeconds = 0;
    for (let epoch = 1; epoch <= s.epochs && !signal.aborted; epoch++) {
      const t0 = performance.now();
      const run = await trainSteps(trainer.stepsPerEpoch, signal);
      const seconds = (performance.now() - t0) / 1000;
      if (run.stopped) break;
      trainSeconds += seconds;
      const [onTest, P] = await onGpu(async (t) => [await t.evaluate(test), await t.predict(test.X, test.m)] as const);
      accuracy.push({ x: epoch, y: onTest.accuracy });
      setText('test-acc', percent(onTest.accuracy));
      setText('epoch', String(epoch));
      // Both rates over every epoch so far (the first one's compiling included): they say the same thing.
      ourRate = (epoch * train.m) / trainSeconds;
      setText('examples-per-s', grouped(ourRate));
      setText('epochs-per-s', (epoch / trainSeconds).toFixed(2));
      setText('train-cost', fixed(run.cost));
      progress.value = epoch / s.epochs;
      drawChart(s.epochs);
      const said = answers(P, test.m);
      showConfusion(said);
      showWorst(said);
      await pad.classify();
    }
    if (signal.aborted) showMessage(`Stopped after epoch ${byId('epoch').textContent}.`);
  } catch (error) {
    const hint = error instanceof DivergenceError ? ' Pick a smaller learning rate.' : '';
    showMessage(`${error instanceof Error ? error.message : String(error)}${hint}`, 'error');
  } finally {
    running = null;
    busy(false);
    setState(idle());
  }
}

function busy(on: boolean): void {
  // Without WebGPU this trainer cannot run; TF.js's wasm backend still can.
  byId<HTMLButtonElement>('train').disabled = on || noGpu !== null;
  byId<HTMLButtonElement>('tfjs-run').disabled = on;
  byId('stop').hidden = !on;
}

/** TF.js on the same settings; its accuracy joins the chart and its speed is put beside ours. */
async function compareTfjs(): Promise<void> {
  const s = settings();
  const backend = select('tfjs-backend').value as TfBackend;
  running = new AbortController();
  setState('training');
  busy(true);
  tfjsAccuracy.length = 0;
  const result = byId('tfjs-result');
  result.textContent = `Loading TF.js (${backend})…`;
  let seconds = 0;
  try {
    await trainTfjs(backend, { ...s, seed: 1 }, train, test, (e, name) => {
      seconds += e.seconds;
      tfjsAccuracy.push({ x: e.epoch, y: e.accuracy });
      drawChart(s.epochs);
      const rate = (e.epoch * train.m) / seconds;
      const ratio = ourRate > 0 ? ` · this trainer: ${(ourRate / rate).toFixed(1)}× the examples/s` : '';
      result.textContent = `${name}: ${percent(e.accuracy)} after epoch ${e.epoch} of ${s.epochs}, ${grouped(rate)} examples/s${ratio}`;
      result.dataset.accuracy = String(e.accuracy);
      result.dataset.examplesPerSecond = String(rate);
    }, running.signal);
  } catch (error) {
    result.textContent = `TF.js failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    running = null;
    busy(false);
    setState(idle());
  }
}

const pad = new DrawingPad(byId<HTMLCanvasElement>('pad'), byId<HTMLCanvasElement>('seen'), byId('probabilities'), async (x) => {
  if (!trainer) return null;
  return onGpu((t) => t.predict(x, 1));
});

async function main(): Promise<void> {
  setState('loading');
  fillRates('adam');
  attachChartHover(byId<HTMLCanvasElement>('acc-chart'), 'epoch');
  select('optimizer').addEventListener('change', () => fillRates(select('optimizer').value as OptimizerKind));
  try {
    gpu = await requestGpu();
  } catch (error) {
    if (!(error instanceof GpuUnavailableError)) throw error;
    // The page still loads the digits and runs TF.js on its wasm backend, which needs no GPU.
    noGpu = error.message;
    byId('no-webgpu').hidden = false;
    setText('no-webgpu-reason', error.message);
    setText('adapter', 'none (WebGPU unavailable)');
    const backend = select('tfjs-backend');
    backend.querySelector<HTMLOptionElement>('option[value="webgpu"]')!.disabled = true;
    backend.value = 'wasm';
    byId('train').title = 'This trainer needs WebGPU; TF.js on its wasm backend runs without it';
  }
  if (!noGpu) {
    watchDevice();
    setText('adapter', gpu.adapterName);
  }
  // For the soak (cli/soak-mnist.ts): the device, what decides the trainer's buffers, and owned buffers beyond the trainer's.
  (globalThis as { mnistPage?: object }).mnistPage = {
    get device() { return gpu.device; },
    get configuration() { return trainer ? `[${trainer.sizes}] ${trainer.optimizer.kind} B=${trainer.batchSize} ${trainer.variant}` : 'no trainer'; },
    get strayBuffers() { return Owner.live - (trainer?.liveBuffers ?? 0); },
  };
  showMessage('Loading the 10,000 digits…');
  ({ train, test } = await loadMnist((n) => showMessage(`Loading the 10,000 digits… ${n} of 10 files`)));
  showMessage(`Loaded ${grouped(train.m)} training and ${grouped(test.m)} test digits. ${noGpu ? 'Run TF.js (wasm) on them: this trainer needs WebGPU.' : 'Press Train.'}`);
  busy(false);
  byId('train').addEventListener('click', () => void trainNetwork());
  byId('tfjs-run').addEventListener('click', () => void compareTfjs());
  byId('clear').addEventListener('click', () => pad.clear());
  byId('stop').addEventListener('click', () => {
    running?.abort();
    trainer?.stop();
  });
  setState(idle());
}

main().catch((error) => {
  setState('error');
  showMessage(`The page failed to start: ${error instanceof Error ? error.message : String(error)}`, 'error');
  console.error(error);
});
