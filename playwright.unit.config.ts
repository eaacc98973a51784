import { defineConfig } from '@playwright/test';
import { UNIT_TESTS } from './playwright.tiers.ts';

// npm run test:unit: the reference, parsers, validators, URL state, generators, the
// chooser's rules: pure logic in Node. No browser, no GPU, no server: it runs before
// `npm run setup` has found a browser.
export default defineConfig({
  testDir: '.',
  testMatch: UNIT_TESTS,
  workers: 2,
  reporter: [['list']],
  forbidOnly: true,
});
