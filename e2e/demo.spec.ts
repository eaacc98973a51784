// The playground page, used as a person would: open it, press train, read what
// it shows (text and canvas pixels), change settings, share the URL, export and
// import the model, run the course's experiment, and open it without WebGPU.
// SwiftShader is slow, so runs are short and grids small (URL settings).
import { test as base, expect, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from '../cli/browser.ts';
import { parseModelJson } from '../src/model/model-json.ts';
import { fromOnnx } from '../src/model/onnx.ts';
import { predictModel } from '../src/model/predict.ts';
import { expectSuccess, runCli } from './fixtures/cli.ts';

const PAGE = 'demo/index.html';

/** A page that fails its test on any console error or warning, or an uncaught exception. */
const test = base.extend<{ demo: Page }>({
  demo: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await use(page);
    expect(errors, 'console errors and warnings on the demo page').toEqual([]);
  },
});

async function open(page: Page, query = ''): Promise<void> {
  await page.goto(`${PAGE}${query}`);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();
/** Waits for every GPU operation the page has queued (the redraw that follows 'ready' included). */
const settled = (page: Page) => page.evaluate(() => (globalThis as unknown as { playground: { settled(): Promise<void> } }).playground.settled());
const number = async (page: Page, id: string) => Number((await text(page, id)).replace(/[,%]/g, ''));
const stepCount = (page: Page) => number(page, 'step-count');

interface Pixels {
  /** Fractions of pixels that are clearly blue (class 1) or orange (class 0). */
  blue: number;
  orange: number;
  hash: number;
}

/**
 * Reads the boundary canvas: how much of it is each class's colour, and a hash of every pixel.
 * Canvases are read from a fresh copy each time (inlined in every page function), so the page's
 * own canvases are not read back again and again (Chromium would rightly warn about that).
 */
function boundaryPixels(page: Page, id = 'boundary'): Promise<Pixels> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const d = ((c: HTMLCanvasElement) => { const copy = document.createElement('canvas'); [copy.width, copy.height] = [c.width, c.height]; const ctx = copy.getContext('2d', { willReadFrequently: true })!; ctx.drawImage(c, 0, 0); return ctx.getImageData(0, 0, c.width, c.height).data; })(canvas);
    let blue = 0, orange = 0, hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
      if (b - r > 40) blue++;
      else if (r - b > 40) orange++;
      hash = (Math.imul(hash, 31) + r + 256 * g + 65536 * b) | 0;
    }
    const n = d.length / 4;
    return { blue: blue / n, orange: orange / n, hash };
  }, id);
}

/** The page's settings as a sorted list of key=value, from its address. */
const query = (page: Page) => [...new URL(page.url()).searchParams].map(([k, v]) => `${k}=${v}`).sort();

test('train on flower: the cost falls, the accuracy rises and the boundary fills with both colours (4 tanh units, grid 40)', async ({ demo: page }) => {
  await open(page, '?grid=40&speed=0');
  await expect(page.locator('#adapter')).not.toHaveText(/looking|none/);
  await expect(page.locator('#units .unit')).toHaveCount(4);
  const cost0 = await number(page, 'train-cost');
  const acc0 = await number(page, 'train-acc');
  const before = await boundaryPixels(page);
  // At the course's 0.01·N(0,1) start ŷ ≈ 0.5 everywhere: the plane is nearly grey.
  expect(cost0).toBeCloseTo(0.693, 2);
  expect(before.blue).toBeLessThan(0.12);
  expect(before.orange).toBeLessThan(0.12);

  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => number(page, 'train-acc'), { timeout: 90_000, intervals: [500] }).toBeGreaterThan(80);
  await expect.poll(() => number(page, 'steps-per-s')).toBeGreaterThan(0);
  // The step the trainer picked for 4 units on a device with subgroups (SwiftShader has them).
  await expect(page.locator('#step-variant')).toHaveText('lanes');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');

  expect(await number(page, 'train-cost')).toBeLessThan(cost0 - 0.2);
  expect(await number(page, 'train-acc')).toBeGreaterThan(acc0 + 20);
  expect(await number(page, 'test-acc')).toBeGreaterThan(70);
  const after = await boundaryPixels(page);
  expect(after.hash).not.toBe(before.hash);
  expect(after.blue, 'share of blue pixels after training').toBeGreaterThan(0.15);
  expect(after.orange, 'share of orange pixels after training').toBeGreaterThan(0.15);
  // The paused page's address holds the step it shows.
  expect(query(page)).toContain(`steps=${await stepCount(page)}`);
});

test('one step moves the step counter by 1; changing hidden units or the dataset resets to step 0', async ({ demo: page }) => {
  await open(page, '?grid=24');
  await page.getByRole('button', { name: 'One step' }).click();
  await expect(page.locator('#step-count')).toHaveText('1');
  await page.getByRole('button', { name: 'One step' }).click();
  await expect(page.locator('#step-count')).toHaveText('2');

  await page.getByRole('spinbutton', { name: /Hidden units/ }).fill('7');
  await page.getByRole('spinbutton', { name: /Hidden units/ }).press('Enter');
  await expect(page.locator('#units .unit')).toHaveCount(7);
  await expect(page.locator('#step-count')).toHaveText('0');
  expect(query(page)).toContain('hidden=7');

  await page.getByRole('button', { name: 'One hidden unit more' }).click();
  await expect(page.locator('#units .unit')).toHaveCount(8);

  await page.getByRole('button', { name: 'One step' }).click();
  await expect(page.locator('#step-count')).toHaveText('1');
  await page.getByRole('button', { name: 'moons' }).click();
  await expect(page.getByRole('button', { name: 'moons' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#step-count')).toHaveText('0');
  expect(query(page)).toContain('data=moons');
  expect(query(page)).toContain('hidden=8');
});

test('zero initialization: after steps every hidden unit tile is the same and the page names the symmetry problem (3 units)', async ({ demo: page }) => {
  await open(page, '?init=zeros&hidden=3&grid=24');
  for (let k = 1; k <= 3; k++) {
    await page.getByRole('button', { name: 'One step' }).click();
    await expect(page.locator('#step-count')).toHaveText(String(k));
  }
  await expect(page.locator('#units-note')).toContainText('same function');
  const tiles = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('#units canvas')].map((c) => c.toDataURL()),
  );
  expect(new Set(tiles).size).toBe(1);
});

test('Reset rewinds to the same initialization (same boundary, same cost at step 0); New draws another seed (5 units)', async ({ demo: page }) => {
  await open(page, '?hidden=5&grid=24&speed=20');
  const start = { pixels: (await boundaryPixels(page)).hash, cost: await text(page, 'train-cost') };
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'One step' }).click();
  await expect(page.locator('#step-count')).toHaveText('3');
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(start.pixels);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('#step-count')).toHaveText('0');
  await expect.poll(async () => (await boundaryPixels(page)).hash).toBe(start.pixels);
  expect(await text(page, 'train-cost')).toBe(start.cost);
  const seed = await page.getByLabel('Seed').inputValue();
  await page.getByRole('button', { name: 'New' }).click();
  await expect(page.getByLabel('Seed')).not.toHaveValue(seed);
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(start.pixels);
});

test('pointing at a curve reads it: the nearest logged step and each series there; at the right end, the cost the page shows (5 units, 300 steps)', async ({ demo: page }) => {
  await open(page, '?hidden=5&grid=24&steps=300');
  await expect(page.locator('#step-count')).toHaveText('300', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  // The page says 'ready' when the run stops; the test set's last point comes with the redraw after it.
  await settled(page);
  // hover() places the pointer where the chart is at that moment (the message bar above it
  // may fold away meanwhile and move it).
  const chart = page.locator('#cost-chart');
  const at = async (fraction: number) => {
    const box = (await chart.boundingBox())!;
    await chart.hover({ position: { x: box.width * fraction, y: box.height / 2 } });
  };
  const tip = page.locator('.chart-tip').first();
  // The plot ends 10 of the canvas's 400 pixels before its right edge, at the last step; pointing
  // in that margin reads the last step (at 0.974 a narrow chart's integer offsetX could round to
  // step 299 when the page had logged it): step 300 whatever steps the page logged on the way.
  await at(0.99);
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(/^step 300 · training \d\.\d{4} · test \d\.\d{4}$/);
  expect(await tip.innerText()).toContain(`training ${await text(page, 'train-cost')}`);
  await at(0.55);
  const middle = Number(/^step ([\d,]+)/.exec(await tip.innerText())![1].replace(/,/g, ''));
  expect(middle).toBeGreaterThan(0);
  expect(middle).toBeLessThan(300);
  await page.locator('#step-count').hover();
  await expect(tip).toBeHidden();
});

test('the URL round-trips every setting, and a link with steps= reproduces the run exactly (circles, relu, Adam, batches of 16, L2, decay, 30 steps)', async ({ demo: page, browser }) => {
  const link = '?data=circles&m=200&noise=0.1&test=0.2&hidden=6&act=relu&lr=0.3&seed=7&init=xavier&speed=5&grid=24&steps=30&opt=adam&b1=0.8&b2=0.99&batch=16&l2=0.01&decay=0.9&every=20';
  await open(page, link);
  await expect(page.locator('#step-count')).toHaveText('30', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByRole('button', { name: 'circles' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Activation g')).toHaveValue('relu');
  await expect(page.getByLabel('Learning rate α')).toHaveValue('0.3');
  await expect(page.getByLabel('Initialization')).toHaveValue('xavier');
  await expect(page.getByLabel('Seed')).toHaveValue('7');
  await expect(page.getByRole('spinbutton', { name: /Hidden units/ })).toHaveValue('6');
  await expect(page.getByLabel('Examples m')).toHaveValue('200');
  await expect(page.getByLabel('Speed')).toHaveValue('5');
  await expect(page.getByLabel('Optimizer', { exact: true })).toHaveValue('adam');
  await expect(page.locator('#beta1')).toHaveValue('0.8');
  await expect(page.locator('#beta2')).toHaveValue('0.99');
  await expect(page.getByLabel('Batch size')).toHaveValue('16');
  await expect(page.getByLabel('L2 λ')).toHaveValue('0.01');
  await expect(page.getByLabel('α decay')).toHaveValue('0.9');
  await expect(page.locator('#decay-every')).toHaveValue('20');
  expect(query(page)).toEqual(new URLSearchParams(link).toString().split('&').sort());
  await settled(page);
  const cost = await text(page, 'train-cost');
  const pixels = await boundaryPixels(page);

  // The same link in a fresh page: same data, split, initial weights and 30 steps.
  const other = await browser.newPage();
  await open(other, link);
  await expect(other.locator('#step-count')).toHaveText('30', { timeout: 60_000 });
  await expect(other.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(other);
  expect(await text(other, 'train-cost')).toBe(cost);
  expect((await boundaryPixels(other)).hash).toBe(pixels.hash);
  await other.close();
});

test('export model.json and model.onnx, then import each into another network: the same layers, predictions (boundary pixels) and cost (blobs, K = 4, layers 5 tanh + 3 relu, Adam, 60 steps)', async ({ demo: page }, testInfo) => {
  await open(page, '?data=blobs&k=4&hidden=5&layers=3:relu&grid=32&opt=adam&lr=0.03&steps=60');
  await expect(page.locator('#step-count')).toHaveText('60', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  const trained = await boundaryPixels(page);
  const cost = await text(page, 'train-cost');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.json' }).click()]);
  expect(download.suggestedFilename()).toBe('model.json');
  const file = testInfo.outputPath('model.json');
  await download.saveAs(file);
  const model = parseModelJson(await readFile(file, 'utf8'));
  expect(model.params.sizes).toEqual([2, 5, 3, 4]);
  expect(model.hidden).toEqual(['tanh', 'relu']);
  expect(model.head).toBe('softmax');
  const [onnxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.onnx' }).click()]);
  expect(onnxDownload.suggestedFilename()).toBe('model.onnx');
  const onnxFile = testInfo.outputPath('model.onnx');
  await onnxDownload.saveAs(onnxFile);
  expect(fromOnnx(await readFile(onnxFile)).params.sizes).toEqual([2, 5, 3, 4]);

  // Another network first, so that importing must set the layers back.
  await open(page, '?data=blobs&k=4&hidden=2&grid=32');
  await page.locator('#import').setInputFiles(file);
  await expect(page.locator('#message')).toContainText('Imported model.json: hidden layers of 5 tanh, 3 relu units');
  await expect(page.getByLabel('Units of hidden layer 2')).toHaveValue('3');
  await expect.poll(async () => (await boundaryPixels(page)).hash).toBe(trained.hash);
  expect(await text(page, 'train-cost')).toBe(cost);

  // The same through ONNX, after a reset to the seed's weights for these layers.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('#step-count')).toHaveText('0');
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(trained.hash);
  await page.locator('#import').setInputFiles(onnxFile);
  await expect(page.locator('#message')).toContainText('Imported model.onnx');
  await expect.poll(async () => (await boundaryPixels(page)).hash).toBe(trained.hash);
  expect(await text(page, 'train-cost')).toBe(cost);
});

test('the model.json and model.onnx that `npm run train -- --out` writes load in the page: the same network both ways; a softmax model is refused on two-class data, named, and loads on three-class data', async ({ demo: page }, testInfo) => {
  const out = testInfo.outputPath('cli');
  expectSuccess(await runCli(['--steps', '300', '--hidden', '3', '--runtime', 'node', '--out', out]));
  const spiral = testInfo.outputPath('spiral');
  expectSuccess(await runCli(['--dataset', 'spiral', '--classes', '3', '--steps', '20', '--head', 'softmax', '--runtime', 'node', '--out', spiral]));
  await open(page, '?grid=32');
  await page.locator('#import').setInputFiles(join(out, 'model.json'));
  await expect(page.locator('#message')).toContainText('Imported model.json: 3 tanh hidden units');
  const fromJson = { pixels: (await boundaryPixels(page)).hash, cost: await text(page, 'train-cost') };
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(fromJson.pixels);
  await page.locator('#import').setInputFiles(join(out, 'model.onnx'));
  await expect(page.locator('#message')).toContainText('Imported model.onnx: 3 tanh hidden units');
  await expect.poll(async () => (await boundaryPixels(page)).hash).toBe(fromJson.pixels);
  expect(await text(page, 'train-cost')).toBe(fromJson.cost);
  await page.locator('#import').setInputFiles(join(spiral, 'model.onnx'));
  await expect(page.locator('#message')).toContainText('model.onnx: a network [2, 4, 3] with a softmax output does not fit this page, which trains [2, hidden layers…, 1] with one sigmoid output');
  // On three-class data the same file fits: its softmax over 3 classes trains here.
  await open(page, '?data=spiral&k=3&grid=32');
  await page.locator('#import').setInputFiles(join(spiral, 'model.onnx'));
  await expect(page.locator('#message')).toContainText('Imported model.onnx: 4 tanh hidden units');
  await expect(page.locator('#confusion tr')).toHaveCount(4);
});

test("the course's experiment shows seven boundaries with their accuracies (1, 2, 3, 4, 5, 20, 50 units, 60 steps each)", async ({ demo: page }) => {
  await open(page, '?grid=24&sweep=60');
  await page.getByRole('button', { name: 'Run the experiment' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'sweeping');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  const panels = page.locator('#sweep-panels .sweep-panel');
  await expect(panels).toHaveCount(7);
  const labels = await panels.locator('.units-label').allInnerTexts();
  expect(labels.map((l) => parseInt(l, 10))).toEqual([1, 2, 3, 4, 5, 20, 50]);
  for (const acc of await panels.locator('.acc').allInnerTexts()) expect(acc).toMatch(/^\d+\.\d%$/);
  // Every panel has a drawn boundary (not a blank canvas).
  const drawn = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('#sweep-panels canvas')].map((c) => {
      const d = ((c: HTMLCanvasElement) => { const copy = document.createElement('canvas'); [copy.width, copy.height] = [c.width, c.height]; const ctx = copy.getContext('2d', { willReadFrequently: true })!; ctx.drawImage(c, 0, 0); return ctx.getImageData(0, 0, c.width, c.height).data; })(c);
      return d.some((v, i) => i % 4 === 3 && v > 0);
    }),
  );
  expect(drawn).toEqual([true, true, true, true, true, true, true]);
});

test('untrusted files: a CSV named like HTML is shown as text, a bad CSV names its line, a 21 MB file is refused; text labels load by the label rules', async ({ demo: page }, testInfo) => {
  await open(page, '?grid=24');
  const evil = '<img src=x onerror="window.__pwned=1">.csv';
  await page.locator('#csv').setInputFiles({ name: evil, mimeType: 'text/csv', buffer: Buffer.from('x1,x2,y\n0.5,0.2,1\n0.1,<b>bold</b>,0\n') });
  await expect(page.locator('#message')).toContainText(`${evil}, line 3`);
  expect(await page.locator('#message img, #message b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  const big = testInfo.outputPath('big.csv');
  await writeFile(big, Buffer.alloc(21 * 1024 * 1024, 48));
  await page.locator('#csv').setInputFiles(big);
  await expect(page.locator('#message')).toContainText('over 20.0 MB');

  // More classes than the page has colours are refused, named (the CLI trains them).
  const many = ['a,b,label', ...Array.from({ length: 40 }, (_, j) => `${j % 7},${j % 5},${'pqrstuvw'[j % 8]}`)];
  await page.locator('#csv').setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(many.join('\n')) });
  await expect(page.locator('#message')).toContainText('many.csv: its last column holds 8 classes; the playground draws at most 6');
  // A good CSV with text labels trains: its name and classes are shown and the step counter starts at 0.
  const rows = ['a,b,label', ...Array.from({ length: 40 }, (_, j) => `${(j % 7) - 3},${(j % 5) - 2},${j % 2 ? 'yes' : 'no'}`)];
  await page.locator('#csv').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.locator('#message')).toContainText('Loaded mine.csv: 40 examples, 2 features, classes no (0), yes (1)');
  await expect(page.locator('#dataset-desc')).toContainText('mine.csv');
  // A local file cannot travel in a link: the page says so instead of copying one that opens the flower set.
  await page.getByRole('button', { name: 'Copy link to this run' }).click();
  await expect(page.locator('#message')).toContainText('A link cannot carry your file mine.csv');
});

/** Loads a CSV into the page (at α `lr` when given), trains `steps` steps and returns the training accuracy's (or R²'s) text. */
async function trainOnCsv(page: Page, name: string, csv: string, steps: number, lr?: string): Promise<string> {
  await page.locator('#csv').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.locator('#message')).toContainText(`Loaded ${name}`);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  if (lr) await page.locator('#lr').selectOption(lr);
  await page.evaluate((n) => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(n), steps);
  await expect(page.locator('#step-count')).toHaveText(steps.toLocaleString('en-US'), { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  return text(page, 'train-acc');
}

test('your own data: a CSV in real units learns (standardized by default, a toggle), axes named by the header, stale fields hidden; three text classes and a regression target from files; Download run reopens with its data and replays', async ({ demo: page }, testInfo) => {
  await open(page, '?grid=24');
  await expect(page.locator('#standardize-field')).toBeHidden();
  // height (cm), weight (kg), BMI over 24.5: the playground's defaults (4 tanh units, α 1.2) on standardized inputs.
  const heightWeight = await readFile(new URL('./fixtures/height-weight.csv', import.meta.url), 'utf8');
  const accuracy = await trainOnCsv(page, 'height-weight.csv', heightWeight, 300);
  expect(Number(accuracy.replace('%', ''))).toBeGreaterThan(95);
  await expect(page.locator('#standardize')).toBeChecked();
  for (const id of ['noise-field', 'points-field', 'classes-field', 'regenerate']) await expect(page.locator(`#${id}`)).toBeHidden();
  await expect(page.locator('#axis-x')).toHaveText('→ height_cm');
  await expect(page.locator('#axis-y')).toHaveText('↑ weight_kg');
  // The exported model carries the standardization and the header's names.
  const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.json' }).click()]);
  const model = parseModelJson(await readFile(await modelDownload.path(), 'utf8'));
  expect(model.standardization?.mean[0]).toBeGreaterThan(150);
  expect(model.names).toEqual({ classes: ['0', '1'], features: ['height_cm', 'weight_kg'], target: 'label' });

  // The run as a file: settings, step and data; opened in a fresh page it replays to the same cost.
  const cost = await text(page, 'train-cost');
  const [runDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run' }).click()]);
  const runFile = testInfo.outputPath('run.json');
  await runDownload.saveAs(runFile);
  // Without standardization the same data is a new run (the toggle is a setting, recorded in the run).
  await page.locator('#standardize').uncheck();
  await expect(page.locator('#step-count')).toHaveText('0');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await open(page, '?grid=24');
  await page.locator('#import').setInputFiles(runFile);
  await expect(page.locator('#message')).toContainText('Opened run.json with height-weight.csv');
  await expect(page.locator('#step-count')).toHaveText('300', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  expect(await text(page, 'train-cost')).toBe(cost);
  await expect(page.locator('#standardize')).toBeChecked();

  // Three classes named by text: a softmax over three outputs, the names in the legend and the confusion matrix.
  const centres = { north: [0, 3], west: [-3, -2], east: [3, -2] } as const;
  const rows = ['u,v,place', ...Array.from({ length: 90 }, (_, j) => {
    const [name, [cx, cy]] = Object.entries(centres)[j % 3];
    return `${(cx + Math.sin(j * 1.7)).toFixed(3)},${(cy + Math.cos(j * 2.3)).toFixed(3)},${name}`;
  })];
  const three = await trainOnCsv(page, 'places.csv', rows.join('\n'), 150);
  expect(Number(three.replace('%', ''))).toBeGreaterThan(95);
  await expect(page.locator('#message')).toContainText('classes east (0), north (1), west (2)');
  await expect(page.locator('#legend-classes')).toContainText('class west');
  await expect(page.locator('#confusion th.cls').first()).toHaveText('east');
  expect(await page.locator('#confusion tr').count()).toBe(4);

  // A real-valued target: a regression (one linear output), R² reported.
  const line = ['a,b,price', ...Array.from({ length: 120 }, (_, j) => {
    const [a, b] = [Math.sin(j * 0.77) * 2, Math.cos(j * 1.31) * 2];
    return `${a.toFixed(3)},${b.toFixed(3)},${(1.5 * a - b + 10 + 0.05 * Math.sin(j)).toFixed(4)}`;
  })];
  const r2 = await trainOnCsv(page, 'prices.csv', line.join('\n'), 300, '0.1');
  await expect(page.locator('#message')).toContainText('a regression target (price)');
  await expect(page.locator('#train-acc-label')).toHaveText('Training R² · RMSE');
  expect(Number(r2.split(' ')[0])).toBeGreaterThan(0.9);
  await expect(page.locator('#discretize')).toBeDisabled();
});

test('keyboard: Space trains and pauses, S steps; every control has a label; Import shows its focus ring; "Compiling the kernels…" shows while a trainer is built, with Train disabled', async ({ demo: page }) => {
  // Whenever the notice is shown, is Train disabled? Recorded from the first script on.
  await page.addInitScript(() => {
    const seen: boolean[] = [];
    (window as unknown as { compilingSeen: boolean[] }).compilingSeen = seen;
    new MutationObserver(() => {
      const notice = document.getElementById('compiling');
      if (notice && !notice.hidden) seen.push((document.getElementById('train') as HTMLButtonElement).disabled);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['hidden', 'disabled'] });
  });
  await open(page, '?grid=24&speed=1');
  const seen = await page.evaluate(() => (window as unknown as { compilingSeen: boolean[] }).compilingSeen);
  expect(seen.length, 'the notice was shown while the first trainer was built').toBeGreaterThan(0);
  expect(seen.every(Boolean), 'Train was disabled meanwhile').toBe(true);
  await expect(page.locator('#compiling')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
  await page.locator('body').press('s');
  await expect(page.locator('#step-count')).toHaveText('1');
  await page.locator('body').press(' ');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'training');
  await page.locator('body').press(' ');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, select, button')]
      .filter((e) => !(e.getAttribute('aria-label') || (e as HTMLInputElement).labels?.length || e.textContent?.trim()))
      .map((e) => e.id || e.outerHTML.slice(0, 60)),
  );
  expect(unlabelled).toEqual([]);
  // Import is a hidden file input behind its label: tabbing to it rings the label.
  await page.locator('#export-onnx').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('#import')).toBeFocused();
  expect(await page.locator('label[for="import"]').evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid');
});

test('optimizer, batch size, L2, L1 and α change while training: each recorded at its step in the link, marked on the curves, and the link replays the run exactly (flower, 4 units)', async ({ demo: page, browser }) => {
  const base = '?hidden=4&grid=24&speed=10';
  const play = (p: Page, until: number) =>
    p.evaluate((n) => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(n), until);
  const reach = async (p: Page, step: number) => {
    await expect(p.locator('#step-count')).toHaveText(step.toLocaleString('en-US'), { timeout: 60_000 });
    await expect(p.locator('body')).toHaveAttribute('data-state', 'ready');
    await settled(p);
  };
  await open(page, `${base}&steps=60`);
  await reach(page, 60);
  await page.getByLabel('Optimizer', { exact: true }).selectOption('adam');
  // α follows the optimizer: Adam's usual 0.01, recorded at the same step.
  await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe('60:opt:adam,60:lr:0.01');
  await expect(page.getByLabel('Learning rate α')).toHaveValue('0.01');
  await play(page, 120);
  await reach(page, 120);
  await page.getByLabel('Batch size').selectOption('32');
  await play(page, 180);
  await reach(page, 180);
  await page.getByLabel('L2 λ').selectOption('0.1');
  await page.getByLabel('L1 λ1').selectOption('0.01');
  await page.getByLabel('Learning rate α').selectOption('0.3');
  await play(page, 240);
  await reach(page, 240);
  const link = new URL(page.url()).search;
  expect(new URLSearchParams(link).get('at')).toBe('60:opt:adam,60:lr:0.01,120:batch:32,180:l2:0.1,180:l1:0.01,180:lr:0.3');
  expect(new URLSearchParams(link).get('steps')).toBe('240');
  // The step-0 settings stay in the link: gradient descent, full batch, no L2, α 1.2.
  for (const key of ['opt', 'batch', 'l2', 'l1', 'lr']) expect(new URLSearchParams(link).get(key), key).toBeNull();
  const cost = await text(page, 'train-cost');
  const pixels = await boundaryPixels(page);
  // The curves mark the changes: a dotted line at step 60 is drawn in the cost chart (grey pixels there).
  const marked = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#cost-chart')!;
    const data = ((c: HTMLCanvasElement) => { const copy = document.createElement('canvas'); [copy.width, copy.height] = [c.width, c.height]; const ctx = copy.getContext('2d', { willReadFrequently: true })!; ctx.drawImage(c, 0, 0); return ctx.getImageData(0, 0, c.width, c.height).data; })(canvas);
    let grey = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === 0x6b && data[i + 1] === 0x72 && data[i + 2] === 0x80) grey++;
    return grey;
  });
  expect(marked).toBeGreaterThan(10);

  // The link in a fresh page: the same run, the changes applied at the same steps; the controls show them.
  const other = await browser.newPage();
  await open(other, link);
  await reach(other, 240);
  expect(await text(other, 'train-cost')).toBe(cost);
  expect((await boundaryPixels(other)).hash).toBe(pixels.hash);
  await expect(other.getByLabel('Optimizer', { exact: true })).toHaveValue('adam');
  await expect(other.getByLabel('Batch size')).toHaveValue('32');
  await expect(other.getByLabel('L2 λ')).toHaveValue('0.1');
  await expect(other.getByLabel('L1 λ1')).toHaveValue('0.01');
  await expect(other.getByLabel('Learning rate α')).toHaveValue('0.3');
  await other.close();
});

test('switching to Adam while training behaves (the issue\'s repro: spiral, K = 3, 8 tanh + 8 relu, gradient descent at α 1.2 for 300 steps): α becomes Adam\'s 0.01, Adam counts from its own step 1, the run is above 90 % by step 1,500 and its link replays it bit for bit', async ({ demo: page, browser }) => {
  const base = '?dataset=spiral&classes=3&hidden=8&activation=tanh&layers=8:relu&lr=1.2&grid=24&speed=0';
  const reach = async (p: Page, step: number) => {
    await expect(p.locator('#step-count')).toHaveText(step.toLocaleString('en-US'), { timeout: 120_000 });
    await expect(p.locator('body')).toHaveAttribute('data-state', 'ready');
    await settled(p);
  };
  await open(page, `${base}&steps=300`);
  await reach(page, 300);
  await page.getByLabel('Optimizer', { exact: true }).selectOption('adam');
  await expect(page.getByLabel('Learning rate α')).toHaveValue('0.01');
  await page.evaluate((n) => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(n), 1500);
  await reach(page, 1500);
  expect(await number(page, 'train-acc')).toBeGreaterThan(90);
  const cost = await text(page, 'train-cost');
  const link = new URL(page.url()).search;
  expect(new URLSearchParams(link).get('at')).toBe('300:opt:adam,300:lr:0.01');
  const other = await browser.newPage();
  await open(other, link);
  await reach(other, 1500);
  expect(await text(other, 'train-cost')).toBe(cost);
  expect((await boundaryPixels(other)).hash).toBe((await boundaryPixels(page)).hash);
  await other.close();
});

test('TensorFlow Playground\'s picture toggles: discretize paints each point as its class, test data hides, neither restarts the run; Regenerate draws new data (dseed in the link) and its link replays', async ({ demo: page }) => {
  await open(page, '?hidden=4&grid=24&test=0.3&steps=200');
  await expect(page.locator('#step-count')).toHaveText('200', { timeout: 60_000 });
  await settled(page);
  const cost = await text(page, 'train-cost');
  const soft = await boundaryPixels(page);
  await page.getByLabel('Discretize output').check();
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(soft.hash);
  await settled(page);
  const hard = await boundaryPixels(page);
  // Every grid point fully one class: more of the plane in strong colours than the soft picture.
  expect(hard.blue + hard.orange).toBeGreaterThan(soft.blue + soft.orange);
  await page.getByLabel('Show test data').uncheck();
  await expect.poll(async () => (await boundaryPixels(page)).hash).not.toBe(hard.hash);
  expect(new URL(page.url()).searchParams.get('discrete')).toBe('true');
  expect(new URL(page.url()).searchParams.get('showtest')).toBe('false');
  // A view change: the same run, still at step 200 with the same cost.
  await expect(page.locator('#step-count')).toHaveText('200');
  expect(await text(page, 'train-cost')).toBe(cost);
  // Regenerate: other points, a new run from the same initial weights.
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.locator('#step-count')).toHaveText('0');
  const dseed = new URL(page.url()).searchParams.get('dseed');
  expect(Number(dseed)).toBeGreaterThan(0);
  await settled(page);
  const regenerated = await boundaryPixels(page);
  await open(page, `?hidden=4&grid=24&test=0.3&discrete=true&showtest=false&dseed=${dseed}`);
  await settled(page);
  expect((await boundaryPixels(page)).hash).toBe(regenerated.hash);
  // The same page at step 0 without the data seed draws the first data: other points.
  await open(page, '?hidden=4&grid=24&test=0.3&discrete=true&showtest=false');
  await settled(page);
  expect((await boundaryPixels(page)).hash).not.toBe(regenerated.hash);
});

test('α decay: × 0.5 every 50 steps replays exactly and ends elsewhere than without it; the decay and β1 change live and their link replays (flower, 150 steps)', async ({ demo: page, browser }) => {
  await open(page, '?hidden=4&grid=24&decay=0.5&every=50&steps=150');
  await expect(page.locator('#step-count')).toHaveText('150', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByLabel('α decay')).toHaveValue('0.5');
  const decayed = await text(page, 'train-cost');
  await open(page, '?hidden=4&grid=24&steps=150');
  await expect(page.locator('#step-count')).toHaveText('150', { timeout: 60_000 });
  expect(await text(page, 'train-cost')).not.toBe(decayed);
  await open(page, '?hidden=4&grid=24&decay=0.5&every=50&steps=150');
  await expect(page.locator('#step-count')).toHaveText('150', { timeout: 60_000 });

  // At step 150: momentum with β1 0.8, and a gentler decay; then 50 steps more.
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  await page.getByLabel('Optimizer', { exact: true }).selectOption('momentum');
  await page.locator('#beta1').fill('0.8');
  await page.locator('#beta1').press('Enter');
  await page.getByLabel('α decay').selectOption('0.9');
  await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe('150:opt:momentum,150:b1:0.8,150:decay:0.9');
  await page.evaluate(() => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(200));
  await expect(page.locator('#step-count')).toHaveText('200', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  const link = new URL(page.url()).search;
  const cost = await text(page, 'train-cost');
  const other = await browser.newPage();
  await open(other, link);
  await expect(other.locator('#step-count')).toHaveText('200', { timeout: 60_000 });
  await expect(other.locator('body')).toHaveAttribute('data-state', 'ready');
  expect(await text(other, 'train-cost')).toBe(cost);
  // Its first 150 steps are the decayed run's: the link holds decay=0.5&every=50 from step 0.
  expect(new URL(other.url()).searchParams.get('decay')).toBe('0.5');
  expect(other.url()).toContain('every=50');
  await expect(other.getByLabel('α decay')).toHaveValue('0.9');
  await expect(other.locator('#beta1')).toHaveValue('0.8');
  await other.close();
});

test('the optimizers side by side: gradient descent, momentum and Adam draw three cost curves from the same first point and end apart (flower, 4 units, 1,000 steps each)', async ({ demo: page }) => {
  await open(page, '?hidden=4&grid=24');
  const section = page.locator('#optimizers');
  await section.scrollIntoViewIfNeeded();
  await page.getByRole('button', { name: 'Compare the optimizers' }).click();
  await expect(page.locator('#optimizers-results tr')).toHaveCount(3, { timeout: 120_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#message')).toContainText('Optimizers compared');
  const rows = await page.locator('#optimizers-results tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  expect(rows.map((r) => r[0])).toEqual(['gradient descent', 'momentum', 'Adam']);
  expect(rows.map((r) => r[2])).toEqual(['1000', '1000', '1000']);
  // Pointing at the chart's left end (its plot starts 60 of 720 canvas pixels in) reads step 0: the three share their first cost.
  const chart = page.locator('#optimizers-chart');
  const tip = page.locator('#optimizers-plot .chart-tip');
  const box = (await chart.boundingBox())!;
  await chart.hover({ position: { x: box.width * (61 / 720), y: box.height / 2 } });
  await expect(tip).toBeVisible();
  const first = await tip.innerText();
  expect(first).toMatch(/^step 0 · /);
  const values = (t: string) => [...t.matchAll(/(gradient descent|momentum|Adam) (\d\.\d{4})/g)].map((m) => [m[1], m[2]]);
  const start = values(first);
  expect(start.map((v) => v[0])).toEqual(['gradient descent', 'momentum', 'Adam']);
  expect(new Set(start.map((v) => v[1])).size).toBe(1);
  // At the right end they differ: three different final costs in the table.
  expect(new Set(rows.map((r) => r[3])).size).toBe(3);
});

test('several classes: blobs with K = 4 train a softmax; the boundary has one region per class in its colour around its blob, and the confusion matrix counts the test set (300 steps)', async ({ demo: page }) => {
  await open(page, '?data=blobs&k=4&hidden=8&grid=40&lr=0.3&steps=300');
  await expect(page.locator('#step-count')).toHaveText('300', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  await expect(page.getByLabel('Classes K')).toHaveValue('4');
  // The formula and the caption follow the head: a softmax over the classes, each class its own row of weights.
  await expect(page.locator('#formula')).toHaveText('ŷ = softmax(W[2] g(W[1]x + b[1]) + b[2])');
  await expect(page.locator('#units-caption')).toContainText("each class's output adds them up with its own row of weights");
  // Each pixel's class: the class colour its tint points to from the neutral grey (boundary.ts's palette).
  const regions = await page.evaluate(() => {
    const palette = [[245, 147, 34], [8, 119, 189], [44, 160, 44], [148, 103, 189]];
    const neutral = [232, 234, 235];
    const canvas = document.querySelector<HTMLCanvasElement>('#boundary')!;
    const { width, height } = canvas;
    const data = ((c: HTMLCanvasElement) => { const copy = document.createElement('canvas'); [copy.width, copy.height] = [c.width, c.height]; const ctx = copy.getContext('2d', { willReadFrequently: true })!; ctx.drawImage(c, 0, 0); return ctx.getImageData(0, 0, c.width, c.height).data; })(canvas);
    const classOf = (o: number) => {
      const d = [0, 1, 2].map((c) => data[o + c] - neutral[c]);
      let best = -1, score = 0.9; // cosine similarity above 0.9, else no class (axes, points' rims)
      palette.forEach((t, k) => {
        const u = [0, 1, 2].map((c) => t[c] - neutral[c]);
        const cos = (d[0] * u[0] + d[1] * u[1] + d[2] * u[2]) / (Math.hypot(...d) * Math.hypot(...u) || 1);
        if (cos > score) [best, score] = [k, cos];
      });
      return best;
    };
    const share = [0, 0, 0, 0];
    for (let o = 0; o < data.length; o += 4) {
      const k = classOf(o);
      if (k >= 0) share[k] += 1 / (width * height);
    }
    // Blob j is centred at angle 2πj/4 on a circle of radius 2 around the origin, the canvas's middle:
    // the majority class of a 21×21 box a third of the way out along that angle.
    const around = [0, 1, 2, 3].map((j) => {
      const votes = [0, 0, 0, 0];
      const cx = Math.round(width / 2 + 0.33 * width * Math.cos((j * Math.PI) / 2));
      const cy = Math.round(height / 2 - 0.33 * height * Math.sin((j * Math.PI) / 2));
      for (let y = cy - 10; y <= cy + 10; y++) for (let x = cx - 10; x <= cx + 10; x++) {
        const k = classOf(4 * (y * width + x));
        if (k >= 0) votes[k]++;
      }
      return votes.indexOf(Math.max(...votes));
    });
    return { share, around };
  });
  expect(regions.around).toEqual([0, 1, 2, 3]);
  for (const [k, share] of regions.share.entries()) expect(share, `class ${k}'s share of the plane`).toBeGreaterThan(0.1);
  // The confusion matrix: 4×4 under a header row; rows sum to the test set's size, mostly on the diagonal.
  const cells = await page.locator('#confusion tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
  expect(cells).toHaveLength(4);
  for (const row of cells) expect(row).toHaveLength(4);
  const total = cells.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(Math.round(400 * 0.3));
  const right = cells.reduce((sum, row, k) => sum + row[k], 0);
  expect(right / total).toBeGreaterThan(0.9);
  await expect(page.locator('#confusion-title')).toContainText('test set');
});

test('regression: ripple trains a linear output; R² rises from about 0 to above 0.8 and RMSE falls, the plane is coloured by the predicted value (grey at 0, blue and orange at the extremes), no confusion matrix (Adam, 400 steps)', async ({ demo: page }) => {
  await open(page, '?data=ripple&hidden=16&grid=24&opt=adam&lr=0.03');
  await settled(page);
  await expect(page.locator('#train-acc-label')).toHaveText('Training R² · RMSE');
  await expect(page.locator('#acc-caption')).toHaveText('R² against step');
  await expect(page.locator('#confusion-title')).toBeHidden();
  const read = async () => {
    const [r2, rmse] = /^(-?[\d.]+) · RMSE ([\d.]+)$/.exec(await text(page, 'train-acc'))!.slice(1).map(Number);
    return { r2, rmse };
  };
  const start = await read();
  expect(Math.abs(start.r2)).toBeLessThan(0.1);
  await page.evaluate(() => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(400));
  await expect(page.locator('#step-count')).toHaveText('400', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  const end = await read();
  expect(end.r2).toBeGreaterThan(0.8);
  expect(end.rmse).toBeLessThan(start.rmse / 2);
  expect(await text(page, 'test-acc')).toMatch(/^0\.\d{3} · RMSE /);
  // The colour map follows y = sin(3·x1)·cos(2·x2): grey where y ≈ 0 (the middle, the origin), blue
  // where y ≈ 1 (x1 ≈ 0.5, x2 = 0), orange where y ≈ −1 (x1 ≈ −0.5); the canvas shows about [−1.2, 1.2]².
  const tone = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#boundary')!;
    const { width, height } = canvas;
    const data = ((c: HTMLCanvasElement) => { const copy = document.createElement('canvas'); [copy.width, copy.height] = [c.width, c.height]; const ctx = copy.getContext('2d', { willReadFrequently: true })!; ctx.drawImage(c, 0, 0); return ctx.getImageData(0, 0, c.width, c.height).data; })(canvas);
    const mean = (fx: number) => {
      const sum = [0, 0, 0];
      const [cx, cy] = [Math.round(width / 2 + fx * width), Math.round(height / 2)];
      for (let y = cy - 4; y <= cy + 4; y++) for (let x = cx - 4; x <= cx + 4; x++) for (let c = 0; c < 3; c++) sum[c] += data[4 * (y * width + x) + c] / 81;
      return sum[2] - sum[0]; // blue minus red
    };
    return { middle: mean(0), right: mean(0.2), left: mean(-0.2) };
  });
  expect(Math.abs(tone.middle)).toBeLessThan(40);
  expect(tone.right).toBeGreaterThan(60);
  expect(tone.left).toBeLessThan(-60);
});

test("the layer editor: deeper networks round-trip through the link (layers=6:relu,3:sigmoid) and replay exactly; every layer's units are drawn; add, edit and remove layers", async ({ demo: page, browser }) => {
  const link = '?layers=6:relu,3:sigmoid&grid=24&steps=40';
  await open(page, link);
  await expect(page.locator('#step-count')).toHaveText('40', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  await expect(page.getByLabel('Units of hidden layer 2')).toHaveValue('6');
  await expect(page.getByLabel('Activation of hidden layer 2')).toHaveValue('relu');
  await expect(page.getByLabel('Units of hidden layer 3')).toHaveValue('3');
  await expect(page.getByLabel('Activation of hidden layer 3')).toHaveValue('sigmoid');
  expect(new URL(page.url()).searchParams.get('layers')).toBe('6:relu,3:sigmoid');
  // Tiles: 4 units of layer 1, then 6 and 3.
  await expect(page.locator('#units .unit')).toHaveCount(4);
  await expect(page.locator('#units-deeper .layer-title')).toHaveText(['Layer 2: 6 relu units', 'Layer 3: 3 sigmoid units']);
  await expect(page.locator('#units-deeper .layer-tiles').nth(0).locator('.unit')).toHaveCount(6);
  await expect(page.locator('#units-deeper .layer-tiles').nth(1).locator('.unit')).toHaveCount(3);
  await expect(page.locator('#formula')).toContainText('l = 1 … 3');
  const cost = await text(page, 'train-cost');
  const other = await browser.newPage();
  await open(other, link);
  await expect(other.locator('#step-count')).toHaveText('40', { timeout: 60_000 });
  await expect(other.locator('body')).toHaveAttribute('data-state', 'ready');
  expect(await text(other, 'train-cost')).toBe(cost);
  await other.close();

  // Editing restarts the run at step 0 with the new network, and the link follows.
  const layers = () => new URL(page.url()).searchParams.get('layers');
  await page.getByRole('button', { name: 'Add a hidden layer' }).click();
  await expect.poll(layers).toBe('6:relu,3:sigmoid,3:sigmoid');
  await expect(page.locator('#step-count')).toHaveText('0');
  await expect(page.locator('#units-deeper .layer-title')).toHaveCount(3);
  await page.getByLabel('Units of hidden layer 2').fill('8');
  await page.getByLabel('Units of hidden layer 2').press('Enter');
  await expect.poll(layers).toBe('8:relu,3:sigmoid,3:sigmoid');
  await page.getByRole('button', { name: 'Remove hidden layer 3' }).click();
  await expect.poll(layers).toBe('8:relu,3:sigmoid');
  await page.getByRole('button', { name: 'Remove hidden layer 2' }).click();
  await page.getByRole('button', { name: 'Remove hidden layer 2' }).click();
  await expect.poll(layers).toBeNull();
  await expect(page.locator('#units-deeper .layer-title')).toHaveCount(0);
  await expect(page.locator('#formula')).toContainText('ŷ = σ(W');
});

/** The element's box lies inside the viewport (seen without scrolling). */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = (await page.locator(selector).boundingBox())!;
  const { width, height } = page.viewportSize()!;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height;
}

test('layouts, with every control shown (K classes, two more layers, Adam): nothing scrolls sideways at 390×844, 1280×800 or 1400×1000 and every tap target is 32 px or more; at 1400×1000 the plot, the cost curve and Train are in view together; on a 390×844 phone Train and the step counter stay on screen while scrolling to the plot', async ({ demo: page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await open(page, '?data=blobs&k=4&layers=6:relu,3:tanh&opt=adam&lr=0.03&grid=24&steps=20');
  await expect(page.locator('#step-count')).toHaveText('20', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const selector of ['#boundary', '#cost-chart', '#train']) expect(await inView(page, selector), `${selector} at 1400×1000`).toBe(true);
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `sideways scroll at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(0);
    // Every visible control a finger or pointer aims at: at least 32 × 32 px (a checkbox by its label).
    const small = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('button, select, input:not([type=checkbox]):not(.visually-hidden), label.check, label.button, nav a')]
      .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
      .map((e) => ({ what: e.id || e.textContent!.trim().slice(0, 30) || e.outerHTML.slice(0, 60), ...e.getBoundingClientRect().toJSON() }))
      .filter((r) => r.width < 32 || r.height < 32)
      .map((r) => `${r.what}: ${Math.round(r.width)}×${Math.round(r.height)}`));
    expect(small, `tap targets at ${viewport.width}×${viewport.height}`).toEqual([]);
  }
  // The phone: scrolled to the plot, Train and the step counter are still on screen, and work.
  await page.locator('#boundary').scrollIntoViewIfNeeded();
  for (const selector of ['#boundary', '#train', '#step-count']) expect(await inView(page, selector), `${selector} on the phone`).toBe(true);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
});

test('a lost device: the page says so, takes a new one and resumes from its checkpoint; the run then equals one never interrupted (5 units)', async ({ demo: page, browser }) => {
  const link = '?hidden=5&grid=24';
  await open(page, link);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(500);
  await page.evaluate(() => (globalThis as unknown as { playground: { device: GPUDevice } }).playground.device.destroy());
  const message = page.locator('#message');
  await expect(message).toContainText('The GPU device was lost');
  await expect(message).toContainText('resumed from the checkpoint at step', { timeout: 60_000 });
  const from = Number(/at step ([\d,]+)/.exec(await message.innerText())![1].replace(/,/g, ''));
  expect(from).toBeGreaterThan(0);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'training');
  // Still training on the new device: the counter passes the checkpoint.
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(from + 300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  const steps = await stepCount(page);
  const cost = await text(page, 'train-cost');
  const pixels = await boundaryPixels(page);

  // The same number of steps from the same link, never interrupted: the same cost and boundary.
  const other = await browser.newPage();
  await open(other, `${link}&steps=${steps}`);
  await expect(other.locator('#step-count')).toHaveText(steps.toLocaleString('en-US'), { timeout: 60_000 });
  await expect(other.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(other);
  expect(await text(other, 'train-cost')).toBe(cost);
  expect((await boundaryPixels(other)).hash).toBe(pixels.hash);
  await other.close();
});

test('a Chromium started without WebGPU shows the explanation, not a blank page; the MNIST page keeps TF.js (wasm) training', async ({ baseURL }) => {
  test.setTimeout(240_000);
  const found = findChromium();
  if (!found) throw new Error('no Chromium');
  // Without --enable-unsafe-webgpu, Debian's Chromium 156 still defines navigator.gpu
  // but requestAdapter() gives null (checked below). --disable-features=WebGPU is
  // added for browsers that enable WebGPU by default on a machine with a GPU.
  const browser = await chromium.launch({ executablePath: found.path, args: [...chromiumArgs({ webgpu: false }), '--disable-features=WebGPU'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(PAGE, baseURL).href);
    expect(await page.evaluate(async () => !('gpu' in navigator) || (await navigator.gpu.requestAdapter()) === null)).toBe(true);
    await expect(page.locator('body')).toHaveAttribute('data-state', 'no-webgpu', { timeout: 30_000 });
    const panel = page.getByRole('alert').filter({ hasText: 'cannot run WebGPU' });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('enable-unsafe-webgpu');
    await expect(panel).toContainText('localhost');
    await expect(page.locator('#no-webgpu-reason')).toContainText('WebGPU');
    await expect(page.locator('#explain')).toBeVisible();

    // The MNIST page without WebGPU is not a dead interface: it says why Train is off, loads
    // the digits, and TF.js trains the same network on its wasm backend (one epoch of 784-32-10).
    const mnist = await browser.newPage();
    mnist.on('pageerror', (e) => errors.push(e.message));
    // Chromium's own "No available adapters." is the condition under test, said by the browser.
    mnist.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && m.text() !== 'No available adapters.' && errors.push(`${m.type()}: ${m.text()}`));
    await mnist.goto(new URL('demo/mnist.html', baseURL).href);
    await expect(mnist.locator('body')).toHaveAttribute('data-state', 'no-webgpu', { timeout: 90_000 });
    await expect(mnist.locator('#no-webgpu')).toContainText('wasm');
    await expect(mnist.locator('#message')).toContainText('Run TF.js (wasm)', { timeout: 60_000 });
    await expect(mnist.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
    await expect(mnist.locator('#tfjs-backend option[value="webgpu"]')).toBeDisabled();
    await mnist.getByLabel('Hidden layers').selectOption('32');
    await mnist.getByLabel('Learning rate α').selectOption('0.003');
    await mnist.getByLabel('Batch size').selectOption('256');
    await mnist.getByLabel('Epochs').selectOption('1');
    await mnist.getByRole('button', { name: 'Run TF.js on the same task' }).click();
    await expect(mnist.locator('#tfjs-result')).toHaveAttribute('data-accuracy', /\d/, { timeout: 120_000 });
    expect(Number(await mnist.locator('#tfjs-result').getAttribute('data-accuracy'))).toBeGreaterThan(0.8);
    await expect(mnist.locator('body')).toHaveAttribute('data-state', 'no-webgpu');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('TensorFlow Playground\'s input features: circles with x1² and x2² and no hidden layer pass 95 % (the inputs in the link, the tiles pressed); the exported model.json and ONNX take raw (x1, x2)', async ({ demo: page }) => {
  await open(page, '?data=circles&grid=24');
  // Press x1² and x2², release x1 and x2, and take the hidden layer away (− from 4 to 0).
  for (const f of ['x1sq', 'x2sq', 'x1', 'x2']) await page.locator(`#features button[data-feature="${f}"]`).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('in')).toBe('x1sq,x2sq');
  await page.locator('#hidden').fill('0');
  await page.locator('#hidden').dispatchEvent('change');
  await expect.poll(() => new URL(page.url()).searchParams.get('hidden')).toBe('0');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#features button[data-feature="x1sq"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#features button[data-feature="x1"]')).toHaveAttribute('aria-pressed', 'false');
  await page.evaluate(() => (globalThis as unknown as { playground: { play(n: number): void } }).playground.play(300));
  await expect(page.locator('#step-count')).toHaveText('300', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  expect(await number(page, 'train-acc')).toBeGreaterThan(95);
  expect(await number(page, 'test-acc')).toBeGreaterThan(95);
  await expect(page.locator('#formula')).toHaveText('ŷ = σ(W[1]x + b[1])');
  await expect(page.locator('#units-caption')).toContainText('No hidden layer: x is the inputs (x₁², x₂²)');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.json' }).click()]);
  const model = parseModelJson(await readFile(await download.path(), 'utf8'));
  expect(model.inputs).toEqual(['x1sq', 'x2sq']);
  expect(model.params.sizes).toEqual([2, 1]);
  // The model's own prediction of raw points: the centre is the inner class (1), a point on the unit circle the outer (0).
  const p = predictModel(model, [0, 1, 0, 0], 2).classIds;
  expect(p).toEqual([1, 0]);
  const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.onnx' }).click()]);
  expect(fromOnnx(await readFile(await onnx.path())).inputs).toEqual(['x1sq', 'x2sq']);
});

test('a run gone wrong is said in words with a rewind: a cost that explodes (α raised to 10 at step 300) and a dead ReLU layer (the issue\'s Adam at α 1.2 from step 300) pause the run, and Rewind goes back to a good checkpoint, dropping the changes after it', async ({ demo: page }) => {
  await open(page, '?act=relu&hidden=8&grid=24&at=300:lr:10');
  await page.getByRole('button', { name: 'Train' }).click();
  const advice = page.locator('#advice');
  await expect(advice).toContainText('The cost exploded', { timeout: 60_000 });
  await expect(advice).toContainText('Training is paused');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const exploded = await stepCount(page);
  expect(exploded).toBeGreaterThan(300);
  const rewindTo = Number(/Rewind to step ([\d,]+)/.exec(await page.locator('#rewind').innerText())![1].replace(/,/g, ''));
  expect(rewindTo).toBeLessThanOrEqual(exploded);
  await page.locator('#rewind').click();
  await expect(advice).toBeHidden();
  await expect(page.locator('#step-count')).toHaveText(rewindTo.toLocaleString('en-US'));
  await settled(page);
  expect(await number(page, 'train-cost')).toBeLessThan(0.7);
  // The change at step 300 is gone from the link when the rewind went back before it.
  if (rewindTo < 300) await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBeNull();

  await open(page, '?data=spiral&k=3&hidden=8&layers=8:relu&lr=1.2&at=300:opt:adam&grid=24');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(advice).toContainText('Every unit of hidden layer 2 (8 ReLUs) is dead', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const died = await stepCount(page);
  await page.locator('#rewind').click();
  await expect(advice).toBeHidden();
  await expect.poll(() => stepCount(page)).toBeLessThan(died);
});

test('the network diagram: a node per unit and a line per weight, coloured by sign and sized by |w|; pointing at a line reads the weight the exported model holds, pointing at a unit enlarges its tile (flower, 4 + 3 units, 100 steps)', async ({ demo: page }) => {
  await open(page, '?layers=3:tanh&grid=24&steps=100');
  await expect(page.locator('#step-count')).toHaveText('100', { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await settled(page);
  // [2, 4, 3, 1]: 2 + 4 + 3 + 1 nodes, 2·4 + 4·3 + 3·1 lines.
  await expect(page.locator('#diagram circle')).toHaveCount(10);
  await expect(page.locator('#diagram g.edges line')).toHaveCount(23);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model.json' }).click()]);
  const { params } = parseModelJson(await readFile(await download.path(), 'utf8'));
  // Layer 2's weights: the line of the largest |w| is the widest, and each line's colour is its sign's.
  const looks = await page.locator('#diagram g.edges line[data-edge^="2:"]').evaluateAll((lines) => lines.map((l) => ({
    edge: l.getAttribute('data-edge')!, w: Number((l as SVGElement).dataset.w), width: Number(l.getAttribute('stroke-width')), stroke: l.getAttribute('stroke'),
  })));
  for (const { edge, w, stroke } of looks) {
    const [, i, j] = edge.split(':').map(Number);
    expect(w).toBe(params.W[2][i * 4 + j]);
    expect(stroke).toBe(w >= 0 ? 'rgb(45,55,72)' : 'rgb(194,24,130)');
  }
  const widest = looks.reduce((a, b) => (b.width > a.width ? b : a));
  expect(Math.abs(widest.w)).toBe(Math.max(...looks.map((l) => Math.abs(l.w))));
  // Pointing at the line of W[2] row 2, column 3 reads it.
  // (Lines cross: the event goes to this line's own hit area, as a pointer on it alone would.)
  await page.locator('#diagram line[data-hit="2:1:2"]').dispatchEvent('pointerover');
  const w = params.W[2][1 * 4 + 2];
  await expect(page.locator('#diagram-readout')).toHaveText(`W[2] = ${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(3)}: from unit 3 of layer 1 to unit 2 of layer 2`);
  // Pointing at unit 2 of layer 1 enlarges its tile.
  await page.locator('#diagram circle[data-node="1:1"]').hover();
  await expect(page.locator('#units .unit.focus')).toHaveAttribute('data-unit', '1');
});
