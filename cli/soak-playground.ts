// The playground half of `npm run soak`: the real page (demo/index.html) in headless
// Chromium, driven through its controls as a person would, for the given time: it
// trains, and every few seconds one thing changes. The changes go round every kind
// below, each round in a seeded order, so a long run visits each kind about equally:
// the learning rate, optimizer and β while training; batch size, L2 and α decay;
// hidden layers added, edited and removed, and their activations; K from 2 to 6 on
// spiral and blobs, ripple's regression and the seed's sets; a model exported earlier in
// the run imported again; both experiments started and cancelled half way; reset; and a
// lost device, which the page must recover from by itself. Before each change the page
// is paused and settled, and the sample counts the GPU buffers alive on the page's
// current device (src/testing/buffer-counter.ts, injected before the page's scripts),
// the library's owned buffers beyond the trainer's (Owner.live; 0 unless something
// leaked), and the JS heap after a garbage collection. The result has the trainer
// soak's shape, so cli/soak-report.ts judges both alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { countOn, seededChanges, watchPage, type SoakHook } from './soak-drive.ts';
import type { SoakConfig, SoakResult, SoakSample } from './soak-page.ts';

/** Every kind of change the playground soak makes, once per round. */
export const PLAYGROUND_CHANGES = [
  'learning rate', 'optimizer', 'beta', 'batch size', 'l2', 'decay', 'layer added', 'layer edited', 'layer removed',
  'activation', 'classes', 'dataset', 'regression', 'import', 'experiment', 'optimizer comparison', 'reset', 'device lost',
] as const satisfies readonly SoakSample['change'][];
type Change = (typeof PLAYGROUND_CHANGES)[number];

const RATES: Record<string, number[]> = { sgd: [0.1, 0.3, 1], momentum: [0.03, 0.1, 0.3], adam: [0.003, 0.01, 0.03] };
const BATCHES = ['0', '16', '32', '64'];
const L2S = ['0', '0.001', '0.01'];
const DECAYS = ['1', '0.99', '0.9'];
const BETAS = ['0.8', '0.9', '0.95'];
const UNITS = [3, 6, 10];
const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'leaky-relu'];
const CLASSIFIERS = ['flower', 'moons', 'xor', 'spiral', 'blobs'];

type PageGlobals = { playground: SoakHook & { settled(): Promise<void> } };

const state = (page: Page) => page.locator('body').getAttribute('data-state');
const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();

async function waitFor(page: Page, states: string[], what: string): Promise<void> {
  await page.waitForFunction((s) => s.includes(document.body.dataset.state ?? ''), states, { timeout: 120_000 })
    .catch(async () => { throw new Error(`${what}: the page stayed "${await state(page)}" (message: ${await text(page, 'message').catch(() => '')})`); });
}

const settled = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).playground.settled());

async function train(page: Page): Promise<void> {
  if ((await state(page)) !== 'training') await page.getByRole('button', { name: 'Train' }).click();
  await waitFor(page, ['training'], 'pressing Train');
}

async function pause(page: Page): Promise<void> {
  if ((await state(page)) === 'training') await page.getByRole('button', { name: 'Pause' }).click();
  await waitFor(page, ['ready'], 'pausing');
  await settled(page);
}

export async function soakPlayground(page: Page, url: string, config: SoakConfig, progress: (s: SoakSample) => void): Promise<SoakResult> {
  const order = seededChanges(config.seed, PLAYGROUND_CHANGES);
  const { pick } = order;
  const errors = await watchPage(page);
  const downloads = await mkdtemp(join(tmpdir(), 'soak-'));
  /** Models exported in this run, by what they fit: the output head and size. */
  const exported = new Map<string, string>();
  const s = { optimizer: 'sgd', dataset: 'flower' };
  /** Hidden layers now (an imported model brings its own). */
  const layerCount = async () => 1 + (await page.locator('#layers .layer-row').count());
  await page.goto(`${url}demo/index.html?hidden=4&grid=24`);
  await waitFor(page, ['ready'], 'opening the playground');
  const adapter = await text(page, 'adapter');
  const samples: SoakSample[] = [];
  let error: string | null = null;
  const t0 = Date.now();
  let change: SoakSample['change'] = 'start';
  const losses: number[] = [];
  const select = (label: string | RegExp, value: string) => page.getByLabel(label, { exact: typeof label === 'string' }).selectOption(value);
  const fill = async (label: string | RegExp, value: string) => {
    const input = page.getByLabel(label, { exact: typeof label === 'string' });
    await input.fill(value);
    await input.dispatchEvent('change');
  };
  const outputs = async () => (await page.evaluate(() => (globalThis as unknown as PageGlobals).playground.configuration)).match(/,(\d+)\]/)?.[1] ?? '?';
  const fitKey = async () => `${s.dataset === 'ripple' ? 'linear' : 'class'} ${await outputs()}`;
  /** Starts an experiment, waits until it is under way, cancels it, and waits for the page to be ready again. */
  const experiment = async (run: string, cancel: string, progressId: string) => {
    await page.getByRole('button', { name: run }).click();
    await waitFor(page, ['sweeping'], run);
    await page.waitForFunction((id) => Number((document.getElementById(id) as HTMLProgressElement).value) > 0, progressId, { timeout: 120_000 });
    await page.getByRole('button', { name: cancel }).click();
    await waitFor(page, ['ready'], `cancelling ${run}`);
  };
  try {
    await train(page);
    while ((Date.now() - t0) / 1000 < config.seconds) {
      await page.waitForTimeout(config.changeEvery * 1000);
      if (errors.length) throw new Error(errors.join('; '));
      await pause(page);
      const counts = await countOn(page, 'playground');
      const sample: SoakSample = {
        t: (Date.now() - t0) / 1000, change, settings: counts.configuration, key: counts.configuration,
        liveBuffers: counts.live, ownedBuffers: counts.live, strayBuffers: counts.stray, heapBytes: counts.heap,
        steps: Number((await text(page, 'step-count')).replace(/,/g, '')), cost: Number(await text(page, 'train-cost')),
      };
      samples.push(sample);
      progress(sample);
      change = order.next();
      // The page gives up after three losses in a minute (as it should): lose no more than that.
      if (change === 'device lost' && losses.length >= 2 && Date.now() - losses[losses.length - 2] < 65_000) {
        order.later(change);
        change = order.next();
      }
      const layers = await layerCount();
      switch (change) {
        case 'learning rate': // Live changes, made while training: they take effect from the next step.
          await train(page);
          await select('Learning rate α', String(pick(RATES[s.optimizer])));
          continue;
        case 'beta':
          if (s.optimizer === 'sgd') {
            s.optimizer = 'momentum';
            await select('Optimizer', s.optimizer);
          }
          await train(page);
          await fill(/^β1/, pick(BETAS));
          continue;
        case 'optimizer':
          s.optimizer = pick(['sgd', 'momentum', 'adam'].filter((o) => o !== s.optimizer));
          await train(page);
          await select('Optimizer', s.optimizer);
          await select('Learning rate α', String(pick(RATES[s.optimizer])));
          continue;
        case 'batch size':
          await select('Batch size', pick(BATCHES));
          break;
        case 'l2': // A weight penalty: L2 or L1.
          await select(order.uniform() < 0.5 ? 'L2 λ' : 'L1 λ1', pick(L2S));
          break;
        case 'decay':
          await select('α decay', pick(DECAYS));
          break;
        case 'layer added':
          // At most four hidden layers in the soak (the page takes six): at four, the last one goes instead.
          if (layers >= 4) await page.getByRole('button', { name: `Remove hidden layer ${layers}` }).click();
          else await page.getByRole('button', { name: 'Add a hidden layer' }).click();
          break;
        case 'layer edited':
          if (layers === 1) await fill(/^Hidden units/, String(pick(UNITS)));
          else await fill(`Units of hidden layer ${2 + Math.floor(order.uniform() * (layers - 1))}`, String(pick(UNITS)));
          break;
        case 'layer removed':
          if (layers === 1) await page.getByRole('button', { name: 'Add a hidden layer' }).click();
          else await page.getByRole('button', { name: `Remove hidden layer ${2 + Math.floor(order.uniform() * (layers - 1))}` }).click();
          break;
        case 'activation': {
          const l = 1 + Math.floor(order.uniform() * layers);
          await select(l === 1 ? 'Activation g' : `Activation of hidden layer ${l}`, pick(ACTIVATIONS));
          break;
        }
        case 'classes':
          if (s.dataset !== 'spiral' && s.dataset !== 'blobs') {
            s.dataset = pick(['spiral', 'blobs']);
            await page.getByRole('button', { name: s.dataset, exact: true }).click();
            await waitFor(page, ['ready', 'training'], 'dataset');
            await settled(page);
          }
          await select('Classes K', String(2 + Math.floor(order.uniform() * 5)));
          break;
        case 'dataset':
          s.dataset = pick(CLASSIFIERS.filter((d) => d !== s.dataset));
          await page.getByRole('button', { name: s.dataset, exact: true }).click();
          break;
        case 'regression':
          s.dataset = s.dataset === 'ripple' ? pick(CLASSIFIERS) : 'ripple';
          await page.getByRole('button', { name: s.dataset, exact: true }).click();
          break;
        case 'import': {
          // A model exported earlier in this run that fits the data now; else export one now, for later.
          const key = await fitKey();
          const file = exported.get(key);
          if (file) {
            await page.locator('#import').setInputFiles(file);
            await page.locator('#message').filter({ hasText: 'Imported' }).waitFor({ timeout: 60_000 });
          } else {
            const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.json' }).click()]);
            const path = join(downloads, `model-${exported.size}.json`);
            await download.saveAs(path);
            exported.set(key, path);
          }
          break;
        }
        case 'experiment':
          await experiment('Run the experiment', 'Cancel', 'sweep-progress');
          break;
        case 'optimizer comparison':
          await experiment('Compare the optimizers', 'Cancel', 'optimizers-progress');
          break;
        case 'reset':
          await page.getByRole('button', { name: 'Reset' }).click();
          break;
        case 'device lost':
          // Lost while training: the page must say so, take a new device and go on by itself.
          losses.push(Date.now());
          await train(page);
          await page.evaluate(() => {
            document.getElementById('message')!.textContent = ''; // An earlier recovery's words must not count.
            (globalThis as unknown as PageGlobals).playground.device.destroy();
          });
          await page.locator('#message').filter({ hasText: 'resumed from the checkpoint' }).waitFor({ timeout: 120_000 });
          break;
      }
      await waitFor(page, ['ready', 'training'], change);
      await settled(page); // The rebuild is done: there is a trainer to press Train for.
      await train(page);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    await rm(downloads, { recursive: true, force: true });
  }
  if (errors.length && !error) error = `page errors: ${errors.join('; ')}`;
  // The page keeps its trainer to the end: nothing to count after it (null).
  return { samples, liveAfter: null, ownedAfter: null, error, adapter: `${adapter}; ${losses.length} devices lost and recovered`, expectedChanges: [...PLAYGROUND_CHANGES] };
}
