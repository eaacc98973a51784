import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium, NO_BROWSER_MESSAGE } from './cli/browser.ts';

// One runner for everything `npm test` does: pure logic in Node (project "unit")
// and the kernels, trainer, CLI and demo in a real headless Chromium with WebGPU
// (project "browser"), pages served by Vite on 127.0.0.1.
const PORT = Number(process.env.TEST_PORT ?? 5199);
const browser = findChromium();
if (!browser) throw new Error(NO_BROWSER_MESSAGE);

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list']],
  forbidOnly: true,
  projects: [
    { name: 'unit', testDir: '.', testMatch: /(src|cli)\/.*\.test\.ts$/ },
    {
      name: 'browser',
      testDir: 'e2e',
      testMatch: /.*\.spec\.ts$/,
      use: {
        baseURL: `http://127.0.0.1:${PORT}/`,
        launchOptions: { executablePath: browser.path, args: chromiumArgs() },
      },
    },
  ],
  webServer: {
    command: `npx vite --port ${PORT} --strictPort --logLevel warn`,
    env: { VITE_NO_WATCH: '1' },
    url: `http://127.0.0.1:${PORT}/e2e/harness.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
