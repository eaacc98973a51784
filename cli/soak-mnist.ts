// The MNIST half of `npm run soak` (--only mnist): the real page (demo/mnist.html) in
// headless Chromium, driven through its controls for the given time. The changes go
// round every kind below, each round in a seeded order: train and stop half way, and
// between runs the hidden layers, the optimizer and the batch size; a digit drawn on the
// pad; TF.js on the same task, stopped half way; and a device lost while training, which
// the page must recover from by itself. After each change the page is idle, and the
// sample counts the GPU buffers alive on its device (src/testing/buffer-counter.ts), the
// library's owned buffers beyond the trainer's, and the JS heap after a garbage
// collection; cli/soak-report.ts judges it as it judges the other soaks.
import type { Page } from 'playwright';
import { countOn, seededChanges, watchPage, type SoakHook } from './soak-drive.ts';
import type { SoakConfig, SoakResult, SoakSample } from './soak-page.ts';

export const MNIST_CHANGES = ['stopped run', 'layers', 'optimizer', 'batch size', 'draw', 'tfjs', 'device lost'] as const satisfies readonly SoakSample['change'][];
type Change = (typeof MNIST_CHANGES)[number];

// Small enough that an epoch takes about a second on SwiftShader.
const LAYERS = ['32', '64'];
const OPTIMIZERS = ['adam', 'momentum', 'sgd'];
const BATCHES = ['64', '128', '256'];

type PageGlobals = { mnistPage: SoakHook };

const state = (page: Page) => page.locator('body').getAttribute('data-state');

async function waitFor(page: Page, states: string[], what: string): Promise<void> {
  await page.waitForFunction((s) => s.includes(document.body.dataset.state ?? ''), states, { timeout: 180_000 })
    .catch(async () => { throw new Error(`${what}: the page stayed "${await state(page)}" (message: ${await page.locator('#message').innerText().catch(() => '')})`); });
}

/** Presses Train and waits until the run is under way. */
async function startTraining(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitFor(page, ['training'], 'pressing Train');
}

/** Half way: once the run has done some of its work (an epoch), Stop, unless it has ended. */
async function stopHalfWay(page: Page, what: string): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state !== 'training' || Number((document.getElementById('progress') as HTMLProgressElement).value) > 0, null, { timeout: 180_000 });
  if ((await state(page)) !== 'training') throw new Error(`${what} ended before it could be stopped: ${await page.locator('#message').innerText().catch(() => '')}`);
  await page.getByRole('button', { name: 'Stop' }).click();
}

/** A 7, drawn with the mouse: two strokes on the pad. */
async function draw(page: Page): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of [[[0.25, 0.25], [0.75, 0.25]], [[0.75, 0.25], [0.45, 0.8]]]) {
    await page.mouse.move(...at(stroke[0][0], stroke[0][1]));
    await page.mouse.down();
    await page.mouse.move(...at(stroke[1][0], stroke[1][1]), { steps: 6 });
    await page.mouse.up();
  }
  await page.getByRole('button', { name: 'Clear' }).click();
}

export async function soakMnist(page: Page, url: string, config: SoakConfig, progress: (s: SoakSample) => void): Promise<SoakResult> {
  const order = seededChanges(config.seed, MNIST_CHANGES);
  const { pick } = order;
  const errors = await watchPage(page);
  await page.goto(`${url}demo/mnist.html`);
  await waitFor(page, ['ready'], 'loading the MNIST page');
  const adapter = await page.locator('#adapter').innerText();
  await page.getByLabel('Hidden layers').selectOption('32');
  // Two epochs a run: a stop half way is after the first, and a short soak still sees several changes.
  await page.getByLabel('Epochs').selectOption('2');
  const samples: SoakSample[] = [];
  let error: string | null = null;
  const t0 = Date.now();
  let change: SoakSample['change'] = 'start';
  let lost = 0;
  try {
    // A first run to the end, so that every later sample follows a trainer that existed.
    await startTraining(page);
    await waitFor(page, ['ready'], 'the first run');
    while ((Date.now() - t0) / 1000 < config.seconds) {
      if (errors.length) throw new Error(errors.join('; '));
      await page.waitForTimeout(config.changeEvery * 1000);
      const counts = await countOn(page, 'mnistPage');
      const sample: SoakSample = {
        t: (Date.now() - t0) / 1000, change, settings: counts.configuration, key: counts.configuration,
        liveBuffers: counts.live, ownedBuffers: counts.live, strayBuffers: counts.stray, heapBytes: counts.heap,
        steps: Number(await page.locator('#epoch').innerText()), cost: Number(await page.locator('#train-cost').innerText()),
      };
      samples.push(sample);
      progress(sample);
      change = order.next();
      switch (change) {
        case 'stopped run':
          await startTraining(page);
          await stopHalfWay(page, 'a run');
          break;
        case 'layers':
          await page.getByLabel('Hidden layers').selectOption(pick(LAYERS));
          await startTraining(page);
          break;
        case 'optimizer':
          await page.getByLabel('Optimizer').selectOption(pick(OPTIMIZERS));
          await startTraining(page);
          break;
        case 'batch size':
          await page.getByLabel('Batch size').selectOption(pick(BATCHES));
          await startTraining(page);
          break;
        case 'draw':
          await draw(page);
          break;
        case 'tfjs':
          // TF.js's wasm backend on the same task, stopped after its first epoch (when there are more).
          await page.getByLabel('Compare with TensorFlow.js').selectOption('wasm');
          await page.getByRole('button', { name: 'Run TF.js on the same task' }).click();
          await page.locator('#tfjs-result').filter({ hasText: /after epoch|failed/ }).waitFor({ timeout: 180_000 });
          if ((await page.locator('#tfjs-result').innerText()).includes('failed')) throw new Error(await page.locator('#tfjs-result').innerText());
          if ((await state(page)) === 'training') await page.getByRole('button', { name: 'Stop' }).click();
          break;
        case 'device lost':
          lost++;
          await startTraining(page);
          await page.waitForTimeout(500);
          await page.evaluate(() => {
            document.getElementById('message')!.textContent = '';
            (globalThis as unknown as PageGlobals).mnistPage.device.destroy();
          });
          await page.locator('#message').filter({ hasText: 'resumed from the checkpoint' }).waitFor({ timeout: 120_000 })
            .catch(async () => { throw new Error(`the page did not recover from a lost device: ${await page.locator('#message').innerText()}`); });
          break;
      }
      await waitFor(page, ['ready'], change);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (errors.length && !error) error = `page errors: ${errors.join('; ')}`;
  return { samples, liveAfter: null, ownedAfter: null, error, adapter: `${adapter}; ${lost} devices lost and recovered`, expectedChanges: [...MNIST_CHANGES] };
}
