// The soak's verdict: each rule fails when its condition is broken.
import { expect, test } from '@playwright/test';
import type { SoakResult, SoakSample } from './soak-page.ts';
import { judgeSoak } from './soak-report.ts';

const sample = (i: number, over: Partial<SoakSample> = {}): SoakSample => ({
  t: i, change: i === 0 ? 'start' : 'learning rate', settings: 'adam B=32 lr 0.01', key: 'adam batches',
  liveBuffers: 50, ownedBuffers: 45, heapBytes: 10e6 + i * 1000, steps: 40 * i, cost: 1 / (i + 1), ...over,
});
const run = (samples: SoakSample[], over: Partial<SoakResult> = {}): SoakResult => ({ samples, liveAfter: 0, ownedAfter: 0, error: null, adapter: 'test', ...over });
const ten = Array.from({ length: 10 }, (_, i) => sample(i));

test('a run that holds passes', () => {
  const v = judgeSoak(run(ten));
  expect(v.failures).toEqual([]);
  expect(v.ok).toBe(true);
  expect(v.buffersByKey).toEqual({ 'adam batches': Array(10).fill(50) });
  // The playground keeps its trainer to the end: nothing to count after it.
  expect(judgeSoak(run(ten, { liveAfter: null, ownedAfter: null })).ok).toBe(true);
});

test('each broken rule fails with its reason', () => {
  expect(judgeSoak(run(ten, { error: 'DeviceLostError: lost' })).failures).toEqual(['threw: DeviceLostError: lost']);
  expect(judgeSoak(run(ten, { liveAfter: 3 })).failures).toEqual(['3 GPU buffers left after the last trainer was destroyed']);
  const growing = ten.map((s, i) => ({ ...s, liveBuffers: 50 + (i > 5 ? 1 : 0) }));
  expect(judgeSoak(run(growing)).failures).toEqual(['adam batches: live buffers changed between samples of the same configuration (50, 51)']);
  const leaking = ten.map((s, i) => ({ ...s, heapBytes: 10e6 + i * 5 * 2 ** 20 }));
  expect(judgeSoak(run(leaking)).failures[0]).toMatch(/^the JS heap grew 4[0-9]\.\d MB .*more than the bound 16\.0 MB$/);
  const nan = ten.map((s, i) => ({ ...s, cost: i === 4 ? NaN : s.cost }));
  expect(judgeSoak(run(nan)).failures).toEqual(['a logged cost was not finite']);
});

test('owned buffers beyond the trainer\'s fail the run, and so does a kind of change visited fewer than minVisits times', () => {
  const stray = ten.map((s, i) => ({ ...s, strayBuffers: i === 7 ? 3 : 0, change: i === 7 ? ('device lost' as const) : s.change }));
  expect(judgeSoak(run(stray)).failures).toEqual(['the library held buffers beyond the trainer\'s: device lost 3']);
  expect(judgeSoak(run(ten.map((s) => ({ ...s, strayBuffers: 0 })))).ok).toBe(true);
  const expectedChanges = ['learning rate', 'reset'];
  expect(judgeSoak(run(ten, { expectedChanges }), { minVisits: 5 }).failures).toEqual(['visited fewer than 5 times: reset (0)']);
  expect(judgeSoak(run(ten, { expectedChanges }), { minVisits: 0 }).ok).toBe(true);
});
