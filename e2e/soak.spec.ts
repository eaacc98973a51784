// `npm run soak` end to end at a small size (the ten-minute runs are `npm run soak` itself):
// the trainer's settings change every second for 15 s in headless Chromium, then the
// playground's through its controls (a lost device among the changes); each run holds: no
// error, the same live buffers for the same configuration, all freed, the heap bounded.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectSuccess, runCli } from './fixtures/cli.ts';

test('npm run soak at 15 s: settings change every second (rate, batch size, optimizer, reset), nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  const run = await runCli(['--only', 'trainer', '--minutes', String(15 / 60), '--change-every', '1', '--seed', '2', '--out', out], 120_000, 'cli/soak.ts');
  expectSuccess(run);
  expect(run.stdout).toContain('result            held');
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8')).runs.trainer;
  expect(verdict.ok).toBe(true);
  expect(result.error).toBeNull();
  expect(result.samples.length).toBeGreaterThanOrEqual(10);
  // Several kinds of change happened, each configuration kept one buffer count, and none is left.
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(4);
  for (const counts of Object.values(verdict.buffersByKey) as number[][]) expect(new Set(counts).size).toBe(1);
  expect(result.liveAfter).toBe(0);
  expect(verdict.heapStart, 'the heap is measured (gc and precise memory info)').not.toBeNull();
});

test('npm run soak on the playground at 30 s: its controls change every second and a device is lost; nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  // Seed 4 loses the device at the first change and again at the eighth (the order of changes is seeded).
  const run = await runCli(['--only', 'playground', '--minutes', String(30 / 60), '--change-every', '1', '--seed', '4', '--out', out], 150_000, 'cli/soak.ts');
  expectSuccess(run);
  expect(run.stdout).toContain('result            held');
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8')).runs.playground;
  expect(verdict.ok).toBe(true);
  expect(result.error).toBeNull();
  expect(verdict.changes['device lost'], 'the page recovered from a lost device').toBeGreaterThanOrEqual(1);
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(4);
  for (const counts of Object.values(verdict.buffersByKey) as number[][]) expect(new Set(counts).size).toBe(1);
  expect(verdict.heapStart, 'the heap is measured (gc and precise memory info)').not.toBeNull();
});
