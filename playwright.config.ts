import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium, NO_BROWSER_MESSAGE } from './cli/browser.ts';
import { GPU_SPECS, UNIT_TESTS } from './playwright.tiers.ts';

// One runner for everything `npm test` does, in three projects (the tiers, each also an
// npm script): "unit", pure logic in Node (npm run test:unit, playwright.unit.config.ts);
// "gpu", kernels and trainers against the float64 reference on Dawn in Node, no page
// (npm run test:gpu); "e2e", pages, the CLI, the package, the static build and the soaks
// in a real headless Chromium with WebGPU, pages served by Vite on 127.0.0.1 (npm run test:browser).
const PORT = Number(process.env.TEST_PORT ?? 5199);
const browser = findChromium();
if (!browser) throw new Error(NO_BROWSER_MESSAGE);

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 2,
  reporter: [['list']],
  forbidOnly: true,
  projects: [
    { name: 'unit', testDir: '.', testMatch: UNIT_TESTS },
    { name: 'gpu', testDir: 'e2e', testMatch: GPU_SPECS },
    {
      name: 'e2e',
      testDir: 'e2e',
      testMatch: /.*\.spec\.ts$/,
      testIgnore: GPU_SPECS,
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
