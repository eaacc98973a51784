// The MNIST page (demo/mnist.html) as a visitor uses it: it loads the mnist package's
// digits, trains a softmax network on WebGPU to ≥ 90 % test accuracy within the test's
// time, shows the rates, the confusion matrix and the worst digits, reads a digit drawn
// with the mouse (a stroke fixture) as ten probabilities summing to 1, and fits a phone.
import { test as base, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO } from './fixtures/cli.ts';

const test = base.extend<{ mnist: Page }>({
  mnist: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('demo/mnist.html');
    await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
    await use(page);
    expect(errors, 'console errors and warnings on the MNIST page').toEqual([]);
  },
});

const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();
const number = async (page: Page, id: string) => Number((await text(page, id)).replace(/[,%]/g, ''));

async function draw(page: Page, strokes: number[][][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = ([x, y]: number[]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
    await page.mouse.up();
  }
}

const loseDevice = (page: Page) => page.evaluate(() => (globalThis as unknown as { mnistPage: { device: GPUDevice } }).mnistPage.device.destroy());

test('trains 784-128-10 (Adam, batches of 64, 2 epochs) to ≥ 90 % test accuracy through a device lost as it starts; rates, confusion matrix and worst digits shown; a drawn 7 gets ten probabilities that sum to 1 on the device after another loss', async ({ mnist: page }) => {
  test.setTimeout(240_000);
  // Before training the pad says what to do.
  await expect(page.locator('#probabilities')).toContainText('Draw a digit');
  await page.getByLabel('Batch size').selectOption('64');
  await page.getByLabel('Epochs').selectOption('2');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'training');
  // Lost while the kernels compile or the untrained network is evaluated (outside train()): the run goes on.
  await loseDevice(page);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 200_000 });
  await expect(page.locator('#message')).not.toHaveClass(/error/);
  await expect(page.locator('#epoch')).toHaveText('2');
  const accuracy = (await number(page, 'test-acc')) / 100;
  console.log(`MNIST page: ${(accuracy * 100).toFixed(1)} % after 2 epochs, ${await text(page, 'examples-per-s')} examples/s, ${await text(page, 'epochs-per-s')} epochs/s`);
  expect(accuracy).toBeGreaterThanOrEqual(0.9);
  expect(await number(page, 'examples-per-s')).toBeGreaterThan(0);
  expect(await number(page, 'epochs-per-s')).toBeGreaterThan(0);

  // The confusion matrix counts the 2,000 test digits; its diagonal is the accuracy shown.
  const cells = await page.locator('#confusion tbody td').allInnerTexts();
  expect(cells).toHaveLength(100);
  const counts = cells.map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
  const right = counts.filter((_, i) => Math.floor(i / 10) === i % 10).reduce((a, b) => a + b, 0);
  expect(Math.abs(right / 2000 - accuracy)).toBeLessThan(0.0006);
  // The worst digits: each captioned "true → said, p", said ≠ true.
  const captions = await page.locator('#gallery figcaption').allInnerTexts();
  expect(captions.length).toBeGreaterThan(0);
  for (const c of captions) {
    const [, truth, said] = /^(\d) → (\d), [\d.]+%$/.exec(c)!;
    expect(said).not.toBe(truth);
  }

  // Lost while idle: the pad's reading takes a new device and the run's checkpoint.
  await loseDevice(page);
  const { strokes } = JSON.parse(await readFile(join(REPO, 'e2e/fixtures/seven.json'), 'utf8'));
  await draw(page, strokes);
  await expect(page.locator('#message')).toContainText('resumed from the checkpoint');
  await expect(page.locator('#probabilities li')).toHaveCount(10);
  const sum = Number(await page.locator('#probabilities').getAttribute('data-sum'));
  expect(Math.abs(sum - 1)).toBeLessThan(1e-4);
  const ps = (await page.locator('#probabilities li').evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.p))));
  for (const p of ps) expect(p).toBeGreaterThanOrEqual(0);
  console.log(`drawn 7: the network says ${await page.locator('#probabilities').getAttribute('data-best')} (${ps.map((p) => p.toFixed(2)).join(' ')})`);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('#probabilities')).toContainText('Draw a digit');
});

test('fits 390×844 and 1280×800 screens (nothing scrolls sideways, every control is labelled); Stop acts within 1.5 s (2.3 s before windows were sized by the step\'s work): the default network (784-128-10, Adam, batches of 128) stopped mid-epoch is ready again, and says so', async ({ mnist: page }) => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `sideways scroll at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('input, select, button, canvas')]
        .filter((e) => !(e.getAttribute('aria-label') || (e as HTMLInputElement).labels?.length || e.textContent?.trim()))
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    expect(unlabelled).toEqual([]);
  }
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'training');
  await expect(page.locator('#variant')).not.toHaveText('–', { timeout: 60_000 });
  await page.waitForTimeout(1500);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const ms = Date.now() - t0;
  console.log(`Stop took ${ms} ms`);
  expect(ms).toBeLessThan(1500);
  await expect(page.locator('#message')).toContainText(/Stopped after epoch \d/);
});

test('TF.js on request: the same task (784-32-10, Adam, batches of 256, 1 epoch) on its wasm backend, its accuracy and examples/s beside this trainer\'s', async ({ mnist: page }) => {
  test.setTimeout(180_000);
  await page.getByLabel('Hidden layers').selectOption('32');
  await page.getByLabel('Learning rate α').selectOption('0.003');
  await page.getByLabel('Batch size').selectOption('256');
  await page.getByLabel('Epochs').selectOption('1');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.locator('#epoch')).toHaveText('1', { timeout: 120_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await page.getByLabel('Compare with TensorFlow.js').selectOption('wasm');
  await page.getByRole('button', { name: 'Run TF.js on the same task' }).click();
  const result = page.locator('#tfjs-result');
  await expect(result).toHaveAttribute('data-accuracy', /\d/, { timeout: 120_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const theirs = Number(await result.getAttribute('data-accuracy'));
  const ours = (await number(page, 'test-acc')) / 100;
  console.log(`TF.js: ${await result.innerText()} (this trainer ${(ours * 100).toFixed(1)} %)`);
  // The same network, weights, optimizer and batches: both land near each other after one epoch.
  expect(theirs).toBeGreaterThanOrEqual(0.8);
  expect(Math.abs(theirs - ours)).toBeLessThan(0.03);
  expect(Number(await result.getAttribute('data-examples-per-second'))).toBeGreaterThan(0);
  await expect(result).toContainText(/tfjs [\d.]+ wasm .*this trainer: [\d.]+× the examples\/s/);
  // Its one epoch is on the chart (a dot in TF.js's orange), with a legend naming both.
  const orange = await page.locator('#acc-chart').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === 0xf5 && data[i + 1] === 0x93 && data[i + 2] === 0x22) n++;
    return n;
  });
  expect(orange, 'TF.js orange pixels: the one-epoch point and the legend line (none before)').toBeGreaterThan(5);
});
