// `npm run build`'s static site works as the dev server does: the site is built into a
// temporary folder and served as static files (vite preview, with the same
// cross-origin-isolation headers a static host would be set up to send), then the
// playground trains a multi-class network with a second hidden layer from a link, and the
// MNIST page loads the digits from the built assets and trains an epoch. No console errors.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { REPO_ROOT } from '../cli/server.ts';

const test = base.extend<{ site: string }, { built: { url: string; outDir: string } }>({
  built: [
    async ({}, use) => {
      const outDir = join(mkdtempSync(join(tmpdir(), 'static-')), 'dist');
      const config = { root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' as const };
      await build({ ...config, build: { outDir, emptyOutDir: true } });
      const server: PreviewServer = await preview({ ...config, build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
      const url = server.resolvedUrls!.local[0];
      await use({ url, outDir });
      await server.close();
    },
    { scope: 'worker' },
  ],
  site: async ({ built }, use) => use(built.url),
});

// One worker builds the site once for both tests.
test.describe.configure({ mode: 'serial' });

/** A page of the built site that fails its test on any console error. */
async function visit(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return errors;
}

test('the built site\'s root opens the playground, which trains from a link: 3 classes, a second hidden layer, Adam (blobs, 60 steps), with its tiles and confusion matrix', async ({ page, site, built }) => {
  test.setTimeout(180_000);
  // The site holds the three pages and their assets, not the sources.
  expect(readdirSync(join(built.outDir, 'demo')).sort()).toEqual(['index.html', 'mnist.html', 'perf.html']);
  // The site's root (and the address Vite prints) opens the playground.
  const fromRoot = await visit(page, site);
  await expect(page).toHaveURL(/\/demo\/index\.html(\?.*)?$/);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  expect(fromRoot).toEqual([]);
  const errors = await visit(page, `${site}demo/index.html?data=blobs&k=3&layers=5:relu&opt=adam&lr=0.03&grid=24&steps=60`);
  await expect(page.locator('#step-count')).toHaveText('60', { timeout: 90_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#units-deeper .unit')).toHaveCount(5);
  await expect(page.locator('#confusion tr')).toHaveCount(4);
  expect(Number((await page.locator('#train-acc').innerText()).replace('%', ''))).toBeGreaterThan(60);
  expect(errors).toEqual([]);
});

test('the built MNIST page loads the digits from its assets and trains an epoch (784-32-10, batches of 256) past 80 %', async ({ page, site }) => {
  test.setTimeout(180_000);
  const errors = await visit(page, `${site}demo/mnist.html`);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await page.getByLabel('Hidden layers').selectOption('32');
  await page.getByLabel('Learning rate α').selectOption('0.003');
  await page.getByLabel('Batch size').selectOption('256');
  await page.getByLabel('Epochs').selectOption('1');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.locator('#epoch')).toHaveText('1', { timeout: 120_000 });
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  expect(Number((await page.locator('#test-acc').innerText()).replace(/[,%]/g, ''))).toBeGreaterThan(80);
  expect(errors).toEqual([]);
});
