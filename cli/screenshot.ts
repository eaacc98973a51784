// `npm run screenshot`: refreshes the README's pictures: docs/demo.png, the
// playground (the course's experiment, then the flower set trained a few seconds);
// docs/demo-classes.png, four classes with two more hidden layers and Adam after the
// optimizers' comparison, and docs/demo-phone.png, the same on a phone; docs/mnist.png
// and docs/mnist-phone.png, the MNIST page after two epochs and a drawn 7.
import { readFile } from 'node:fs/promises';
import { launchChromium } from './browser.ts';
import { startServer } from './server.ts';

const OUT = process.argv[2] ?? 'docs/demo.png';
const server = await startServer();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const ready = () => page.waitForSelector('body[data-state="ready"]', { timeout: 180_000 });
  await page.goto(`${server.url}demo/index.html?sweep=2000&speed=0`);
  await ready();
  await page.getByRole('button', { name: 'Run the experiment' }).click();
  await page.waitForSelector('body[data-state="busy"], body[data-state="training"]', { timeout: 10_000 }).catch(() => undefined);
  await ready();
  await page.getByRole('button', { name: 'Train' }).click();
  await page.waitForTimeout(6000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await ready();
  await page.locator('#message').evaluate((m) => m.setAttribute('hidden', ''));
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);

  // Several classes, a deeper network, and the optimizers side by side.
  await page.goto(`${server.url}demo/index.html?data=blobs&k=4&layers=6:relu&opt=adam&lr=0.03&grid=60&steps=400`);
  await page.waitForFunction(() => document.querySelector('#step-count')?.textContent === '400' && document.body.dataset.state === 'ready', null, { timeout: 180_000 });
  await page.getByRole('button', { name: 'Compare the optimizers' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#optimizers-results tr').length === 3 && document.body.dataset.state === 'ready', null, { timeout: 300_000 });
  await page.locator('#message').evaluate((m) => m.setAttribute('hidden', ''));
  await page.screenshot({ path: 'docs/demo-classes.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'docs/demo-phone.png', fullPage: false });
  console.log('wrote docs/demo-classes.png, docs/demo-phone.png');

  const mnist = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await mnist.goto(`${server.url}demo/mnist.html`);
  await mnist.waitForSelector('body[data-state="ready"]', { timeout: 180_000 });
  await mnist.getByLabel('Epochs').selectOption('2');
  await mnist.getByRole('button', { name: 'Train' }).click();
  await mnist.waitForSelector('body[data-state="training"]');
  await mnist.waitForSelector('body[data-state="ready"]', { timeout: 300_000 });
  const { strokes } = JSON.parse(await readFile('e2e/fixtures/seven.json', 'utf8')) as { strokes: number[][][] };
  const box = (await mnist.locator('#pad').boundingBox())!;
  for (const stroke of strokes) {
    const at = ([x, y]: number[]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
    await mnist.mouse.move(...at(stroke[0]));
    await mnist.mouse.down();
    for (const p of stroke.slice(1)) await mnist.mouse.move(...at(p), { steps: 3 });
    await mnist.mouse.up();
  }
  await mnist.waitForSelector('#probabilities li.best');
  await mnist.locator('#message').evaluate((m) => m.setAttribute('hidden', ''));
  await mnist.screenshot({ path: 'docs/mnist.png', fullPage: true });
  await mnist.setViewportSize({ width: 390, height: 844 });
  await mnist.screenshot({ path: 'docs/mnist-phone.png', fullPage: false });
  console.log('wrote docs/mnist.png, docs/mnist-phone.png');
} finally {
  await browser.close();
  await server.close();
}
