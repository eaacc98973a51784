// The course's experiment in one click: the flower set trained with 1, 2, 3, 4,
// 5, 20 and 50 tanh hidden units, learning rate 1.2, and the seven boundaries
// side by side with their training accuracies. The seven trainers run one after
// another on the page's device; each is destroyed before the next is made.
import { makeDataset } from '../src/data/datasets.ts';
import { drawDecisionBoundary } from '../src/plot/boundary.ts';
import { Trainer } from '../src/trainer.ts';
import { byId, el, percent } from './dom.ts';

export const SWEEP_UNITS = [1, 2, 3, 4, 5, 20, 50] as const;
const SWEEP_LEARNING_RATE = 1.2;
const PANEL_PIXELS = 220;

export interface SweepResult {
  hidden: number;
  accuracy: number;
  cost: number;
}

/**
 * Runs the experiment, drawing each panel as soon as its network is trained.
 * `signal` cancels between (and inside) trainings; finished panels stay.
 */
export async function runSweep(device: GPUDevice, steps: number, seed: number, signal: AbortSignal): Promise<SweepResult[]> {
  const data = makeDataset('flower', { seed });
  const panels = byId('sweep-panels');
  const progress = byId<HTMLProgressElement>('sweep-progress');
  panels.replaceChildren(
    ...SWEEP_UNITS.map((hidden) => {
      const panel = el('figure', 'sweep-panel');
      panel.setAttribute('role', 'listitem');
      const canvas = el('canvas');
      canvas.width = canvas.height = PANEL_PIXELS;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Decision boundary with ${hidden} hidden units`);
      const caption = el('figcaption');
      caption.append(el('div', 'units-label', `${hidden} hidden unit${hidden === 1 ? '' : 's'}`), el('div', 'acc muted', 'waiting…'));
      panel.append(canvas, caption);
      return panel;
    }),
  );
  progress.hidden = false;
  progress.value = 0;
  const results: SweepResult[] = [];
  for (const [index, hidden] of SWEEP_UNITS.entries()) {
    if (signal.aborted) break;
    const panel = panels.children[index] as HTMLElement;
    const acc = panel.querySelector('.acc')!;
    acc.textContent = 'training…';
    const trainer = await Trainer.create(device, { sizes: [2, hidden, 1], activation: 'tanh', learningRate: SWEEP_LEARNING_RATE, seed }, data);
    try {
      await trainer.train({
        steps,
        logEvery: Math.max(1, Math.round(steps / 20)),
        signal,
        onProgress: ({ step }) => (progress.value = (index + Math.min(1, step / steps)) / SWEEP_UNITS.length),
      });
      const metrics = await trainer.evaluate();
      await drawDecisionBoundary(panel.querySelector('canvas')!, (X, m) => trainer.predict(X, m), data, { resolution: 60, labels: false });
      acc.textContent = signal.aborted ? `${percent(metrics.accuracy)} (stopped at step ${trainer.stepsDone})` : percent(metrics.accuracy);
      acc.classList.remove('muted');
      results.push({ hidden, ...metrics });
    } finally {
      trainer.destroy();
    }
  }
  for (const acc of panels.querySelectorAll('.acc')) if (acc.textContent === 'waiting…') acc.textContent = 'cancelled';
  progress.value = signal.aborted ? progress.value : 1;
  progress.hidden = true;
  return results;
}
