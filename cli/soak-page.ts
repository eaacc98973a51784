// The browser half of `npm run soak` (cli/soak.ts): a trainer trains for the given
// time while its settings change every few seconds, in a seeded order: the learning
// rate (setLearningRate), the batch size and the optimizer (a new trainer from the old
// one's parameters; the optimizer's state carries over when the optimizer stays), and
// reset (new weights). After every change it samples the live GPU buffers (Owner.live,
// every trainer's buffers) and the JS heap, so Node can check that neither grows.
import { makeDataset } from '../src/data/datasets.ts';
import { createRng } from '../src/data/rng.ts';
import { requestGpu } from '../src/gpu/device.ts';
import { Owner } from '../src/gpu/owner.ts';
import { bufferCounter } from '../src/testing/buffer-counter.ts';
import { Trainer } from '../src/trainer.ts';
import type { OptimizerKind, OptimizerState, Parameters } from '../src/types.ts';

export interface SoakConfig {
  seconds: number;
  /** Seconds between two changes of settings. */
  changeEvery: number;
  seed: number;
}

export interface SoakSample {
  /** Seconds since the start. */
  t: number;
  change:
    | 'start' | 'learning rate' | 'batch size' | 'optimizer' | 'beta' | 'l2' | 'decay' | 'reset' | 'layer added' | 'layer edited' | 'layer removed'
    | 'activation' | 'classes' | 'dataset' | 'regression' | 'import' | 'experiment' | 'optimizer comparison' | 'device lost'
    | 'stopped run' | 'layers' | 'draw' | 'tfjs';
  /** The configuration trained since the change, e.g. "adam B=32 lr 0.01" (sampled at the end of its interval). */
  settings: string;
  /** Its buffer-relevant part (optimizer and whether batched): equal keys must hold equal buffers. */
  key: string;
  /** GPU buffers created on the device and not destroyed (every trainer's, staging included). */
  liveBuffers: number;
  /** The library's own count (Owner.live since the start). */
  ownedBuffers: number;
  /** Owned buffers beyond those of the trainer in use (Owner.live − its liveBuffers): 0 unless something leaked. */
  strayBuffers?: number;
  /** performance.memory.usedJSHeapSize after a garbage collection, or null where the browser has neither. */
  heapBytes: number | null;
  steps: number;
  cost: number;
}

export interface SoakResult {
  samples: SoakSample[];
  /** GPU buffers left after the last trainer was destroyed (both counts: must be 0); null where the page keeps its trainer (the playground). */
  liveAfter: number | null;
  ownedAfter: number | null;
  error: string | null;
  adapter: string;
  /** Every kind of change the soak makes (the playground's): a long run must visit each. */
  expectedChanges?: string[];
}

declare global {
  interface Window {
    runSoak?: (config: SoakConfig) => Promise<SoakResult>;
    soakProgress?: (sample: SoakSample) => Promise<void>;
    gc?: () => void;
  }
}

const BATCHES = [16, 32, 64, 300];
const OPTIMIZERS: OptimizerKind[] = ['sgd', 'momentum', 'adam'];
const RATES = { sgd: [0.05, 0.2, 0.5], momentum: [0.05, 0.2, 0.5], adam: [0.001, 0.005, 0.02] };

function heap(): number | null {
  window.gc?.();
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

async function runSoak(config: SoakConfig): Promise<SoakResult> {
  const counter = bufferCounter();
  const { device, adapterName } = await requestGpu();
  const buffers = { live: () => counter.live(device) };
  const rng = createRng(config.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.uniform() * list.length)];
  // A general network on the tiled step: three classes, two hidden layers.
  const data = makeDataset('spiral', { classes: 3, m: 300, seed: config.seed });
  const sizes = [2, 16, 16, 3];
  let optimizer: OptimizerKind = 'adam';
  let batchSize = 32;
  let learningRate = 0.005;
  let initSeed = 1;
  const samples: SoakSample[] = [];
  const liveBefore = Owner.live;
  const t0 = performance.now();
  let trainer: Trainer | null = null;
  let error: string | null = null;
  const make = (parameters?: Parameters, state?: OptimizerState) =>
    Trainer.create(device, {
      sizes, activation: 'relu', head: 'softmax', learningRate, optimizer, batchSize, init: 'he', seed: initSeed,
      ...(parameters ? { parameters } : {}), ...(state ? { state } : {}),
    }, data);
  try {
    trainer = await make();
    let change: SoakSample['change'] = 'start';
    let cost = NaN;
    while ((performance.now() - t0) / 1000 < config.seconds) {
      // Train until the next change, then sample (buffers made on first use, e.g. the
      // readback staging, exist by then).
      const until = performance.now() + config.changeEvery * 1000;
      while (performance.now() < until) cost = (await trainer.train({ steps: 40, logEvery: 40 })).history.at(-1)!.cost;
      const sample: SoakSample = {
        t: (performance.now() - t0) / 1000, change, settings: `${optimizer} B=${batchSize} lr ${learningRate}`,
        key: `${optimizer} ${batchSize < data.m ? 'batches' : 'full'}`,
        liveBuffers: buffers.live(), ownedBuffers: Owner.live - liveBefore, strayBuffers: Owner.live - liveBefore - trainer.liveBuffers,
        heapBytes: heap(), steps: trainer.stepsDone, cost,
      };
      samples.push(sample);
      void window.soakProgress?.(sample).catch(() => undefined);
      change = pick(['learning rate', 'batch size', 'optimizer', 'reset'] as const);
      if (change === 'learning rate') {
        learningRate = pick(RATES[optimizer]);
        await trainer.setLearningRate(learningRate);
        continue;
      }
      const { params, state } = await trainer.getState();
      trainer.destroy();
      trainer = null;
      if (change === 'batch size') {
        batchSize = pick(BATCHES.filter((b) => b !== batchSize));
        trainer = await make(params, state);
      } else if (change === 'optimizer') {
        optimizer = pick(OPTIMIZERS.filter((o) => o !== optimizer));
        learningRate = pick(RATES[optimizer]);
        trainer = await make(params);
      } else {
        initSeed++;
        trainer = await make();
      }
    }
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    trainer?.destroy();
  }
  const result = { samples, liveAfter: buffers.live(), ownedAfter: Owner.live - liveBefore, error, adapter: adapterName };
  device.destroy();
  return result;
}

window.runSoak = (config) => runSoak(config);
