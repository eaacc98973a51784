// Bad input, lifecycle and model files through the real Trainer in headless
// Chromium. Bad input must fail with an InputError naming the argument, the
// expected and the actual value, before any GPU work: no object created, nothing
// submitted or written, Owner.live unchanged and no error in the device's scopes.
import { expect, rel, sharedTest, test } from './fixtures/reliability-page.ts';
import type { Page } from '@playwright/test';

// [case (see e2e/reliability-harness.ts), the "Name: message" it must produce]
const inputCases: [string, RegExp][] = [
  ['X one entry short', /^InputError: data\.X: expected length 80, got 79$/],
  ['Y one entry long', /^InputError: data\.Y: expected length 40, got 41$/],
  ['m = 0', /^InputError: data\.m: expected a positive integer, got 0$/],
  ['n0 = 0', /^InputError: data\.n0: expected a positive integer, got 0$/],
  ['m = 2.5', /^InputError: data\.m: expected a positive integer, got 2\.5$/],
  ['m = -40', /^InputError: data\.m: expected a positive integer, got -40$/],
  // Never reinterpreted as raw bytes: only Float32Array goes to the GPU; the
  // message points to toDataset, which converts number[] and Float64Array.
  ['X number[]', /^InputError: data\.X: expected a Float32Array \(toDataset .*converts number\[\] and Float64Array\), got array of length 80$/],
  ['X Float64Array', /^InputError: data\.X: expected a Float32Array .*got Float64Array of length 80$/],
  ['X Uint8Array of the right byte length', /^InputError: data\.X: expected a Float32Array .*got Uint8Array of length 320$/],
  ['X ArrayBuffer', /^InputError: data\.X: expected a Float32Array .*got \[object ArrayBuffer\]$/],
  ['NaN at X[37]', /^InputError: data\.X\[37\]: expected a finite number, got NaN$/],
  ['-Infinity at X[3]', /^InputError: data\.X\[3\]: expected a finite number, got -Infinity$/],
  ['label 2 at Y[5]', /^InputError: data\.Y\[5\]: expected a label 0 or 1, got 2$/],
  ['label 0.5 at Y[0]', /^InputError: data\.Y\[0\]: expected a label 0 or 1, got 0\.5$/],
  ['label NaN at Y[39]', /^InputError: data\.Y\[39\]: expected a finite number, got NaN$/],
  ['ragged rows (datasetFromRows)', /^InputError: rows\[1\]: expected 2 features \(as rows\[0\]\), got 1 \(ragged rows\)$/],
  ['learning rate 0', /^InputError: learningRate: expected a finite number > 0, got 0$/],
  ['learning rate -0.5', /^InputError: learningRate: expected a finite number > 0, got -0\.5$/],
  ['learning rate NaN', /^InputError: learningRate: expected a finite number > 0, got NaN$/],
  ['learning rate Infinity', /^InputError: learningRate: expected a finite number > 0, got Infinity$/],
  ['learning rate "1.2"', /^InputError: learningRate: expected a finite number > 0, got "1\.2"$/],
  ['hidden units 0', /^InputError: sizes\[1\]: expected a positive integer, got 0$/],
  ['hidden units 2.5', /^InputError: sizes\[1\]: expected a positive integer, got 2\.5$/],
  ['hidden units -4', /^InputError: sizes\[1\]: expected a positive integer, got -4$/],
  ['hidden units 10^9', /^InputError: sizes\[1\]: expected layer sizes whose parameters fit one GPU buffer .*got 1000000000 \(sizes \[2, 1000000000, 1\] have 4000000001 parameters\)$/],
  ['hidden units 2000 on a 4 KiB binding', /^InputError: sizes: expected .*4096 bytes.*W1 is \(2000, 2\): 16000 bytes/],
  ['n0 3 for 2-feature data', /^InputError: data\.n0: expected 3 \(the network's input size n0\), got 2$/],
  ['stepsPerSubmit 0', /^InputError: stepsPerSubmit: expected a positive integer, got 0$/],
  ['parameters for [2, 5, 1]', /^InputError: options\.parameters\.sizes: expected \[2, 4, 1\], got .*\[2, 5, 1\]/],
  ['train steps 0', /^InputError: steps: expected a positive integer, got 0$/],
  ['train steps -5', /^InputError: steps: expected a positive integer, got -5$/],
  ['train steps 2.5', /^InputError: steps: expected a positive integer, got 2\.5$/],
  ['train steps NaN', /^InputError: steps: expected a positive integer, got NaN$/],
  ['train without options', /^InputError: steps: expected a positive integer, got undefined$/],
  ['train logEvery 0', /^InputError: logEvery: expected a positive integer, got 0$/],
  ['train logEvery 1.5', /^InputError: logEvery: expected a positive integer, got 1\.5$/],
  ['predict X one entry short', /^InputError: X: expected length 20, got 19$/],
  ['predict m 0', /^InputError: m: expected a positive integer, got 0$/],
  ['predict m 1.5', /^InputError: m: expected a positive integer, got 1\.5$/],
  ['predict NaN at X[7]', /^InputError: X\[7\]: expected a finite number, got NaN$/],
  ['predict Uint8Array', /^InputError: X: expected a Float32Array, Float64Array or number\[\], got Uint8Array of length 20$/],
  ['evaluate data with n0 3', /^InputError: data\.n0: expected 2 \(the network's input size n0\), got 3$/],
  ['evaluate data with label 2 at Y[1]', /^InputError: data\.Y\[1\]: expected a label 0 or 1, got 2$/],
  ['evaluate data with X number[]', /^InputError: data\.X: expected a Float32Array .*got array of length 4$/],
  ['setLearningRate(-1)', /^InputError: learningRate: expected a finite number > 0, got -1$/],
];

sharedTest('bad data, sizes, learning rates and step counts through Trainer.create / train / predict / evaluate / setLearningRate: InputError naming argument, expected and actual; no GPU call, Owner.live unchanged, no scoped error', async ({ harness }) => {
  const names = (await rel(harness as Page, 'inputCaseNames')).filter((n) => n !== 'hidden units 2^24 with m = 40');
  expect(new Set(names), 'every harness case has an expectation here').toEqual(new Set(inputCases.map(([n]) => n)));
  for (const [name, expected] of inputCases) {
    const r = await rel(harness as Page, 'inputCase', name);
    expect(r.error, name).toMatch(expected);
    expect(r.calls, `${name}: GPU calls made before the error`).toEqual({});
    expect(r.liveAfter, `${name}: Owner.live`).toBe(r.liveBefore);
    expect(r.scoped, `${name}: errors captured by the device's error scopes`).toEqual([]);
  }
});

test('a network the device cannot hold ([2, 2^24, 1], m = 40: activations of 2.7 GB, chunked to 1 GiB bindings) fails with a typed GpuOutOfMemoryError and frees every buffer it made', async ({ harness }) => {
  const r = await rel(harness as Page, 'inputCase', 'hidden units 2^24 with m = 40');
  expect(r.error).toMatch(/^(GpuOutOfMemoryError: out of GPU memory while creating the trainer|InputError: sizes)/);
  expect(r.liveAfter, 'Owner.live after the failed create').toBe(r.liveBefore);
  expect(r.scoped, 'errors that escaped the trainer\'s own scopes').toEqual([]);
});

sharedTest('use after destroy(): train, predict, activations, evaluate, evaluate(data), getParameters, setParameters, setLearningRate, readTensor throw TrainerStateError; destroy() twice is fine', async ({ harness }) => {
  const r = await rel(harness as Page, 'afterDestroy');
  const { 'destroy again': again, ...uses } = r;
  for (const [method, error] of Object.entries(uses)) expect(error, method).toMatch(/^TrainerStateError: this trainer was destroyed/);
  expect(Object.keys(uses)).toHaveLength(9);
  expect(again).toBe('no error');
});

sharedTest('two train() calls at once on one trainer: the second rejects with TrainerStateError; the first runs its 150 steps bit for bit like a trainer alone (sizes=[2,4,1], m=40)', async ({ harness }) => {
  const r = await rel(harness as Page, 'concurrentTrain', { steps: 150 });
  expect(r.second).toMatch(/^TrainerStateError: a training call is already running/);
  expect(r.firstSteps).toBe(150);
  expect(r.stepsDone).toBe(150);
  expect(r.sameHistory, 'cost history equals the lone run').toBe(true);
  expect(r.sameBits, 'parameters equal the lone run bit for bit').toBe(true);
});

sharedTest('destroy() during train(): the run settles (no hang) as stopped or with TrainerStateError, never a raw GPU error', async ({ harness }) => {
  // train() used to rethrow the raw "AbortError: ... Buffer was destroyed before
  // mapping was resolved" of the window readback.
  const r = await rel(harness as Page, 'destroyDuringTrain');
  expect(r).toMatch(/^(no error|TrainerStateError: )/);
});

sharedTest('1,000 create/destroy cycles (sizes=[2,3,1], m=16; every 10th trains, predicts and evaluates other data): Owner.live back to its start, every createBuffer destroyed', async ({ harness }) => {
  test.setTimeout(180_000);
  const r = await rel(harness as Page, 'createDestroyCycles', { cycles: 1000 });
  console.log(`1,000 create/destroy cycles: ${r.seconds.toFixed(1)} s, at most ${r.maxLive} live buffers per trainer`);
  expect(r.liveEnd).toBe(r.liveStart);
  expect(r.undestroyed, 'buffers created on the device and never destroyed').toBe(0);
  expect(r.maxLive).toBeGreaterThan(0);
});

sharedTest('stop() at step 20 of 150, then training the remaining steps: the same parameters bit for bit as one uninterrupted run (sizes=[2,4,1], m=40)', async ({ harness }) => {
  const r = await rel(harness as Page, 'stopAndResume', { steps: 150, stopAt: 20 });
  expect(r.stopped).toBe(true);
  expect(r.firstSteps).toBeGreaterThanOrEqual(20);
  expect(r.firstSteps).toBeLessThan(150);
  expect(r.firstSteps + r.restSteps).toBe(150);
  expect(r.stepsDone).toBe(150);
  expect(r.sameBits).toBe(true);
});

for (const c of [
  { sizes: [2, 4, 1], activation: 'tanh' as const, steps: 100 },
  { sizes: [2, 7, 1], activation: 'leaky-relu' as const, steps: 65 },
  { sizes: [2, 5, 3, 1], activation: 'sigmoid' as const, steps: 30 },
]) {
  sharedTest(`model.json round trip through the GPU is bit-exact: getParameters → toModelJson → JSON text → parseModelJson → Trainer.create({parameters}) → getParameters (sizes=[${c.sizes}], ${c.activation}, after ${c.steps} steps)`, async ({ harness }) => {
    const r = await rel(harness as Page, 'modelRoundTrip', c);
    expect(r.activation).toBe(c.activation);
    expect(r.sameBits).toBe(true);
    expect(r.costs[1]).toBe(r.costs[0]);
  });
}
