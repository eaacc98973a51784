// The playground half of `npm run soak`: the real page (demo/index.html) in headless
// Chromium, driven through its controls as a person would, for the given time: it
// trains, and every few seconds one setting changes in a seeded order (learning rate
// while training; hidden units, activation, dataset, reset, each a rebuild; and now and
// then a lost device, which the page must recover from by itself). Before each change
// the page is paused and settled, and the sample counts the GPU buffers alive on the
// page's current device (every createBuffer and destroy counted by an init script)
// and the JS heap after a garbage collection. The result has the trainer soak's shape,
// so cli/soak-report.ts judges both alike.
import type { Page } from 'playwright';
import { createRng } from '../src/data/rng.ts';
import type { SoakConfig, SoakResult, SoakSample } from './soak-page.ts';

const HIDDEN = [3, 8, 50];
const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'];
const DATASETS = ['flower', 'moons', 'xor'];
const RATES = [0.1, 0.5, 1.2];
/** Weights of each change; a lost device is rarer than the rest, as in life. */
const CHANGES: [SoakSample['change'], number][] = [
  ['learning rate', 3], ['hidden units', 2], ['activation', 2], ['dataset', 2], ['reset', 2], ['device lost', 1],
];

/** Runs in the page before its scripts: counts buffers per device, and reads the heap. */
function instrument(): void {
  if (typeof GPUDevice === 'undefined') return;
  const live = new Map<GPUBuffer, GPUDevice>();
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
    const buffer = create.call(this, d);
    live.set(buffer, this);
    return buffer;
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    live.delete(this);
    return destroy.call(this);
  };
  (globalThis as Record<string, unknown>).soakCounts = () => {
    const device = (globalThis as unknown as { playground: { device: GPUDevice } }).playground.device;
    let n = 0;
    // A lost device's buffers went with it: forget them, count the current device's.
    for (const [buffer, owner] of live) if (owner === device) n++; else live.delete(buffer);
    (globalThis as { gc?: () => void }).gc?.();
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return { live: n, heap: memory ? memory.usedJSHeapSize : null };
  };
}

const state = (page: Page) => page.locator('body').getAttribute('data-state');
const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();

async function waitFor(page: Page, states: string[], what: string): Promise<void> {
  await page.waitForFunction((s) => s.includes(document.body.dataset.state ?? ''), states, { timeout: 120_000 })
    .catch(async () => { throw new Error(`${what}: the page stayed "${await state(page)}" (message: ${await text(page, 'message').catch(() => '')})`); });
}

const settled = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { playground: { settled(): Promise<void> } }).playground.settled());

async function train(page: Page): Promise<void> {
  if ((await state(page)) !== 'training') await page.getByRole('button', { name: 'Train' }).click();
  await waitFor(page, ['training'], 'pressing Train');
}

export async function soakPlayground(page: Page, url: string, config: SoakConfig, progress: (s: SoakSample) => void): Promise<SoakResult> {
  const rng = createRng(config.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.uniform() * list.length)];
  const pickChange = () => {
    let r = rng.uniform() * CHANGES.reduce((s, [, w]) => s + w, 0);
    for (const [change, w] of CHANGES) if ((r -= w) < 0) return change;
    return CHANGES[0][0];
  };
  await page.addInitScript(instrument);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const s = { hidden: 4, activation: 'tanh', dataset: 'flower', learningRate: 1.2 };
  await page.goto(`${url}demo/index.html?hidden=${s.hidden}&grid=32`);
  await waitFor(page, ['ready'], 'opening the playground');
  const adapter = await text(page, 'adapter');
  const samples: SoakSample[] = [];
  let error: string | null = null;
  const t0 = Date.now();
  let change: SoakSample['change'] = 'start';
  const losses: number[] = [];
  try {
    await train(page);
    while ((Date.now() - t0) / 1000 < config.seconds) {
      await page.waitForTimeout(config.changeEvery * 1000);
      if (errors.length) throw new Error(errors.join('; '));
      // Pause, let the redraw finish, and count.
      await page.getByRole('button', { name: 'Pause' }).click();
      await waitFor(page, ['ready'], 'pausing');
      await settled(page);
      const counts = await page.evaluate(() => (globalThis as unknown as { soakCounts(): { live: number; heap: number | null } }).soakCounts());
      const variant = await text(page, 'step-variant');
      const sample: SoakSample = {
        t: (Date.now() - t0) / 1000, change, settings: `${s.dataset} ${s.hidden} ${s.activation} lr ${s.learningRate}`,
        key: `${s.dataset} n1=${s.hidden} ${variant}`, liveBuffers: counts.live, ownedBuffers: counts.live, heapBytes: counts.heap,
        steps: Number((await text(page, 'step-count')).replace(/,/g, '')), cost: Number(await text(page, 'train-cost')),
      };
      samples.push(sample);
      progress(sample);
      change = pickChange();
      // The page gives up after three losses in a minute (as it should): lose no more than that.
      while (change === 'device lost' && losses.length >= 3 && Date.now() - losses[losses.length - 3] < 65_000) change = pickChange();
      if (change === 'learning rate') {
        s.learningRate = pick(RATES.filter((r) => r !== s.learningRate));
        await train(page);
        // A change while training: it takes effect from the next step, without a rebuild.
        await page.getByLabel('Learning rate α').selectOption(String(s.learningRate));
        continue;
      }
      if (change === 'hidden units') {
        s.hidden = pick(HIDDEN.filter((h) => h !== s.hidden));
        await page.getByRole('spinbutton', { name: /Hidden units/ }).fill(String(s.hidden));
        await page.getByRole('spinbutton', { name: /Hidden units/ }).dispatchEvent('change');
      } else if (change === 'activation') {
        s.activation = pick(ACTIVATIONS.filter((a) => a !== s.activation));
        await page.getByLabel('Activation g').selectOption(s.activation);
      } else if (change === 'dataset') {
        s.dataset = pick(DATASETS.filter((d) => d !== s.dataset));
        await page.getByRole('button', { name: s.dataset, exact: true }).click();
      } else if (change === 'reset') {
        await page.getByRole('button', { name: 'Reset' }).click();
      } else {
        // Lost while training: the page must say so, take a new device and go on by itself.
        losses.push(Date.now());
        await train(page);
        await page.evaluate(() => {
          document.getElementById('message')!.textContent = ''; // An earlier recovery's words must not count.
          (globalThis as unknown as { playground: { device: GPUDevice } }).playground.device.destroy();
        });
        await page.locator('#message').filter({ hasText: 'resumed from the checkpoint' }).waitFor({ timeout: 120_000 });
      }
      await waitFor(page, ['ready', 'training'], change);
      await settled(page); // The rebuild is done: there is a trainer to press Train for.
      await train(page);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (errors.length && !error) error = `page errors: ${errors.join('; ')}`;
  // The page keeps its trainer to the end: nothing to count after it (null).
  return { samples, liveAfter: null, ownedAfter: null, error, adapter: `${adapter}; ${losses.length} devices lost and recovered` };
}
