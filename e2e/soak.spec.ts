// `npm run soak` end to end at a small size (the ten-minute runs are `npm run soak` itself):
// the trainer's settings change every second for 15 s in headless Chromium, the
// playground's through every control for 30 s, the MNIST page's for 20 s (lost devices
// among the changes); each run holds: no error, the same live buffers for the same
// configuration, all freed, no owned buffer beyond the trainer's, the heap bounded.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectSuccess, runCli } from './fixtures/cli.ts';

// Each test runs its own CLI (its own server and browser): they can share the two workers
// instead of running one after another at the end of `npm test`.
test.describe.configure({ mode: 'parallel' });

test('npm run soak at 15 s: settings change every second (rate, batch size, optimizer, reset), nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  const run = await runCli(['--only', 'trainer', '--minutes', String(15 / 60), '--change-every', '1', '--seed', '2', '--out', out], 120_000, 'cli/soak.ts');
  expectSuccess(run);
  expect(run.stdout).toContain('result            held');
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8')).runs.trainer;
  expect(verdict.ok).toBe(true);
  expect(result.error).toBeNull();
  // A sample a second, less the compiling: the first trainer of each optimizer compiles its
  // small-step kernel (about 1 s on SwiftShader, twice that beside another test; CI saw 8).
  expect(result.samples.length).toBeGreaterThanOrEqual(7);
  // Several kinds of change happened, each configuration kept one buffer count, and none is left.
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(4);
  for (const counts of Object.values(verdict.buffersByKey) as number[][]) expect(new Set(counts).size).toBe(1);
  expect(result.liveAfter).toBe(0);
  expect(verdict.heapStart, 'the heap is measured (gc and precise memory info)').not.toBeNull();
});

test('npm run soak on the playground at 30 s: a round of its controls (a lost device first, then regression, import, layers edited and added, …); nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  // Seed 19's first round loses the device first, then edits and adds layers early (the order of changes is seeded).
  const run = await runCli(['--only', 'playground', '--minutes', String(30 / 60), '--change-every', '1', '--seed', '19', '--out', out], 150_000, 'cli/soak.ts');
  expectSuccess(run);
  expect(run.stdout).toContain('result            held');
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8')).runs.playground;
  expect(verdict.ok).toBe(true);
  expect(result.error).toBeNull();
  expect(verdict.changes['device lost'], 'the page recovered from a lost device').toBeGreaterThanOrEqual(1);
  // The first five of seed 19's round (a loaded machine gets through fewer changes in 30 s).
  for (const kind of ['regression', 'import', 'layer edited', 'layer added']) expect(verdict.changes[kind], kind).toBeGreaterThanOrEqual(1);
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(8);
  for (const counts of Object.values(verdict.buffersByKey) as number[][]) expect(new Set(counts).size).toBe(1);
  expect(result.samples.every((s: { strayBuffers: number }) => s.strayBuffers === 0), 'no owned buffer beyond the trainer\'s').toBe(true);
  expect(verdict.heapStart, 'the heap is measured (gc and precise memory info)').not.toBeNull();
});

test('npm run soak on the MNIST page at 20 s: a lost device while training, a drawing, a run stopped half way, other layers; nothing throws, buffers and heap hold', async ({}, testInfo) => {
  const out = testInfo.outputPath('soak.json');
  // Seed 7's first round: device lost, draw, stopped run, layers.
  const run = await runCli(['--only', 'mnist', '--minutes', String(20 / 60), '--change-every', '1', '--seed', '7', '--out', out], 150_000, 'cli/soak.ts');
  expectSuccess(run);
  const { verdict, result } = JSON.parse(await readFile(out, 'utf8')).runs.mnist;
  expect(verdict.ok, verdict.failures.join('; ')).toBe(true);
  expect(verdict.changes['device lost'], 'the page recovered from a lost device').toBeGreaterThanOrEqual(1);
  // The start, the lost device and at least one more (a loaded machine gets through fewer in 20 s).
  expect(Object.keys(verdict.changes).length).toBeGreaterThanOrEqual(3);
  expect(result.samples.every((s: { strayBuffers: number }) => s.strayBuffers === 0)).toBe(true);
});
