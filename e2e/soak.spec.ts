// `npm run soak` end to end at a small size (the ten-minute run is `npm run soak` itself):
// the trainer's settings change every second for 25 s in headless Chromium, and the run
// holds: no error, the same live buffers for the same configuration, all freed, the heap bounded.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectSuccess, runCli } from './fixtures/cli.ts';

test('npm run soak at 25 s: settings change every second (rate, batch size, optimizer, reset), nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  const run = await runCli(['--minutes', String(25 / 60), '--change-every', '1', '--seed', '2', '--out', out], 120_000, 'cli/soak.ts');
  expectSuccess(run);
  expect(run.stdout).toContain('result            held');
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8'));
  expect(verdict.ok).toBe(true);
  expect(result.error).toBeNull();
  expect(result.samples.length).toBeGreaterThanOrEqual(12);
  // Several kinds of change happened, each configuration kept one buffer count, and none is left.
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(4);
  for (const counts of Object.values(verdict.buffersByKey) as number[][]) expect(new Set(counts).size).toBe(1);
  expect(result.liveAfter).toBe(0);
  expect(verdict.heapStart, 'the heap is measured (gc and precise memory info)').not.toBeNull();
});
