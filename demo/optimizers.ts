// The second experiment: the optimizers side by side. Gradient descent, momentum and
// Adam train the page's network on the page's data (its split, batch size and λ) from
// the very same initial weights (the page's initialization and seed), one after
// another on the page's device; their cost curves go into one chart, each from the
// same first point. Gradient descent and momentum take the page's α (momentum's v
// is a running mean of the gradient, so its steps have the gradient's scale); Adam's
// steps are about α per weight whatever the gradient's size, so it takes its own α.
import { drawLineChart } from '../src/plot/line-chart.ts';
import { Trainer } from '../src/trainer.ts';
import type { Activation, Dataset, Head, OptimizerKind } from '../src/types.ts';
import { byId, fixed, percent } from './dom.ts';
import type { Settings } from './state.ts';

export const ADAM_LEARNING_RATE = 0.01;
const RUNS: { kind: OptimizerKind; label: string; color: string }[] = [
  { kind: 'sgd', label: 'gradient descent', color: '#374151' },
  { kind: 'momentum', label: 'momentum', color: '#0877bd' },
  { kind: 'adam', label: 'Adam', color: '#f59322' },
];

export interface OptimizerRun {
  kind: OptimizerKind;
  learningRate: number;
  curve: { x: number; y: number }[];
  cost: number;
  accuracy: number;
}

/** The network and training of the page, for each optimizer. */
export interface ExperimentSetup {
  data: Dataset;
  /** [n0, n1, 1] with a sigmoid or linear output, or [n0, n1, K] with a softmax. */
  sizes: number[];
  /** Each hidden layer's activation. */
  activations: Activation[];
  head: Head;
  settings: Pick<Settings, 'init' | 'seed' | 'beta1' | 'beta2' | 'learningRate' | 'batch' | 'l2' | 'l1'>;
  steps: number;
}

/** Trains the three and draws their curves as they finish; `signal` cancels between and inside runs. */
export async function runOptimizers(device: GPUDevice, setup: ExperimentSetup, signal: AbortSignal): Promise<OptimizerRun[]> {
  const { data, sizes, activations, head, settings: s, steps } = setup;
  const canvas = byId<HTMLCanvasElement>('optimizers-chart');
  const progress = byId<HTMLProgressElement>('optimizers-progress');
  const table = byId('optimizers-results');
  byId('optimizers-plot').hidden = false;
  progress.hidden = false;
  progress.value = 0;
  table.replaceChildren();
  const runs: OptimizerRun[] = [];
  const draw = () =>
    drawLineChart(canvas, runs.map((r) => {
      const run = RUNS.find((x) => x.kind === r.kind)!;
      return { label: run.label, color: run.color, points: r.curve };
    }));
  for (const [index, run] of RUNS.entries()) {
    if (signal.aborted) break;
    const learningRate = run.kind === 'adam' ? ADAM_LEARNING_RATE : s.learningRate;
    const trainer = await Trainer.create(device, {
      sizes, head, activation: activations, init: s.init, seed: s.seed, learningRate,
      optimizer: { kind: run.kind, beta1: s.beta1, beta2: s.beta2 }, l2: s.l2, l1: s.l1, batchSize: s.batch > 0 ? Math.min(s.batch, data.m) : undefined,
    }, data);
    try {
      const result = await trainer.train({
        steps,
        logEvery: Math.max(1, Math.round(steps / 200)),
        signal,
        onProgress: ({ step }) => (progress.value = (index + Math.min(1, step / steps)) / RUNS.length),
      });
      const metrics = await trainer.evaluate();
      const curve = result.history.map((h) => ({ x: h.step, y: h.cost }));
      curve.push({ x: trainer.stepsDone, y: metrics.cost });
      runs.push({ kind: run.kind, learningRate, curve, cost: metrics.cost, accuracy: metrics.accuracy });
      draw();
      const row = document.createElement('tr');
      for (const text of [run.label, String(learningRate), signal.aborted ? `${trainer.stepsDone} (stopped)` : String(trainer.stepsDone), fixed(metrics.cost, 4), head === 'linear' ? `R² ${fixed(metrics.r2 ?? Number.NaN, 3)}` : percent(metrics.accuracy)]) {
        row.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      row.firstElementChild!.setAttribute('style', `color: ${run.color}; font-weight: 600`);
      table.append(row);
    } finally {
      trainer.destroy();
    }
  }
  progress.hidden = true;
  return runs;
}
