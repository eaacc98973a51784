// `npm run screenshot`: refreshes docs/demo.png, the README's picture of the
// playground: the course's experiment, then the flower set trained a few seconds.
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
} finally {
  await browser.close();
  await server.close();
}
