// Long runs with nothing lost: divergence is caught on the GPU and rolled back
// to the last finite parameters; a lost device leaves a checkpoint to resume
// from on a new device; data larger than a storage binding trains in chunks.
import { makeDataset } from '../src/data/datasets.ts';
import { initParameters } from '../src/model/init.ts';
import * as ref from '../src/reference/network.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import type { Parameters } from '../src/types.ts';
import { call, expect, isolatedTest as test } from './fixtures/page.ts';
import { plain } from './fixtures/data.ts';
import { headData } from './fixtures/general-data.ts';


test('a diverging learning rate stops with DivergenceError at the exact step and keeps the last finite parameters (relu, lr 1e4)', async ({ harness }) => {
  const c = { sizes: [2, 8, 1], activation: 'relu' as const, learningRate: 1e4, init: 'he' as const, seed: 3, dataset: { name: 'flower' as const }, variant: 'simple' as const };
  const r = await call(harness, 'divergeRun', { ...c, steps: 1000 });
  expect(r.error?.name).toBe('DivergenceError');
  const s = r.error!.step!;
  expect(s).toBeGreaterThan(0);
  expect(s).toBeLessThan(1000);
  expect(r.error!.message).toContain(`at step ${s}`);
  // Kept: the parameters after s steps, or after s − 1 when step s's own cost was
  // already non-finite; they are finite and so is their cost.
  const kept = r.stepsDone;
  expect([s - 1, s]).toContain(kept);
  expect(r.error!.message).toContain(`after ${kept} steps`);
  expect(r.keptFinite).toBe(true);
  expect(r.checkpoint?.step).toBe(kept);
  expect(Number.isFinite(r.afterCost), 'cost at the kept parameters').toBe(true);
  // They are exactly the parameters of a fresh run of `kept` steps (the GPU is
  // deterministic here), which itself finishes without diverging.
  const fresh = await call(harness, 'trainRun', { ...c, steps: kept, logEvery: 10 });
  expect(fresh.params).toEqual(r.kept);
  expect(Number.isFinite(fresh.metrics.cost)).toBe(true);
});

test('the device lost mid-training rejects train() with DeviceLostError; training resumes on a new device from the checkpoint', async ({ harness }) => {
  const c = { sizes: [2, 4, 1], activation: 'tanh' as const, learningRate: 1.2, init: 'course' as const, seed: 1, dataset: { name: 'flower' as const } };
  const r = await call(harness, 'loseDevice', { ...c, steps: 200_000, loseAfter: 3000 });
  expect(r.error?.name).toBe('DeviceLostError');
  expect(r.error?.message).toMatch(/lost/);
  expect(r.afterLoss).toBe('DeviceLostError');
  expect(r.checkpointFinite).toBe(true);
  expect(r.checkpointStep).toBeGreaterThan(0);
  expect(r.checkpointStep).toBeLessThanOrEqual(r.lastLogged.step + 64);
  // Resumed from the checkpoint, not from scratch: the cost starts well below
  // ln 2 ≈ 0.693 (the cost of the tiny initial weights) and keeps falling.
  expect(r.resumedStartCost).toBeLessThan(0.6);
  expect(r.resumedEndCost).toBeLessThanOrEqual(r.resumedStartCost + 1e-6);
});

test('chunked examples: one step with 5 chunks matches the float64 reference (flower, m=400, 97 examples per chunk)', async ({ harness }) => {
  const sizes = [2, 4, 1];
  const data = makeDataset('flower');
  const params = initParameters(sizes, 'xavier', 4);
  const gpu = await call(harness, 'oneStep', {
    sizes, activation: 'tanh', learningRate: 0.5, dataset: { name: 'flower' }, parameters: plain(params),
    maxBindingBytes: 4 * 4 * 97, // the widest matrix, (4, m), gets 97 columns per binding
  });
  const cache = ref.forward(params, 'tanh', data.X, data.m);
  const grads = ref.backward(params, 'tanh', cache, data.Y, data.m);
  const after = ref.update(params, grads, Math.fround(0.5));
  for (let l = 1; l <= 2; l++) {
    expectClose(gpu.tensors[`dW${l}`], grads.dW[l], { atol: 2e-6, rtol: 1e-4, name: `dW${l} over 5 chunks` });
    expectClose(gpu.tensors[`db${l}`], grads.db[l], { atol: 2e-6, rtol: 1e-4, name: `db${l} over 5 chunks` });
    expectClose(gpu.after.W[l], after.W[l], { atol: 2e-6, rtol: 1e-4, name: `W${l} after the update` });
  }
  expectClose([gpu.history[0].cost], [ref.cost(cache.Z[2], data.Y, data.m)], { atol: 1e-6, rtol: 1e-5, name: 'J over 5 chunks' });
});

// The adapter's own limit past WebGPU's default 128 MiB: Z1 of 64 units × 540,000 examples is
// 138 MB, one binding; and data past a binding limit split into chunks of examples, at
// m = 1.1 million with 16 MiB bindings (3 chunks: the same code path as 64 MiB ones at 4.3
// million, four times less work).
for (const { chunked, m, n1, maxBindingBytes } of [
  { chunked: false, m: 540_000, n1: 64, maxBindingBytes: undefined },
  { chunked: true, m: 1_100_000, n1: 8, maxBindingBytes: 16 * 2 ** 20 },
]) {
  const title = chunked ? 'data over a 16 MiB binding limit trains correctly, split into chunks (flower, m=1,100,000, n1=8)'
    : "data over the default 128 MiB binding limit trains correctly (the adapter's own limit is asked for) (flower, m=540,000, n1=64: Z1 is 138 MB)";
  test(title, async ({ harness }) => {
    test.setTimeout(240_000);
    expect(n1 * m * 4, 'Z1 is larger than one binding').toBeGreaterThan(chunked ? 2 * maxBindingBytes! : 128 * 2 ** 20);
    const sample = Array.from({ length: 500 }, (_, k) => Math.floor((k * (m - 1)) / 499));
    const gpu = await call(harness, 'bigData', { m, n1, sample, maxBindingBytes, variant: 'simple' });
    const data = makeDataset('flower', { m });
    const sizes = [2, n1, 1];
    const params = initParameters(sizes, 'xavier', 2);
    const cache = ref.forward(params, 'tanh', data.X, m);
    const grads = ref.backward(params, 'tanh', cache, data.Y, m);
    // Means over 4.3 million examples summed in float32: rtol 1e-3 (measured
    // errors are ~1e-5); a chunk added twice or dropped is off by ≥ 10%.
    for (const l of [1, 2]) {
      expectClose(gpu.grads[`dW${l}`], grads.dW[l], { atol: 1e-5, rtol: 1e-3, name: `dW${l}` });
      expectClose(gpu.grads[`db${l}`], grads.db[l], { atol: 1e-5, rtol: 1e-3, name: `db${l}` });
    }
    expectClose([gpu.before.cost], [ref.cost(cache.Z[2], data.Y, m)], { atol: 1e-5, rtol: 1e-4, name: 'J' });
    // Predictions on a sample spread over the whole set, after the step.
    const afterParams = ref.update(params, grads, 1);
    const sampleX = [...sample.map((j) => data.X[j]), ...sample.map((j) => data.X[m + j])];
    const A2 = ref.forward(afterParams, 'tanh', sampleX, sample.length).A[2];
    expectClose(gpu.predictions, A2, { atol: 1e-4, rtol: 1e-3, name: 'A2 on a sample of 500 examples' });
  });
}

// Mini-batches and Adam: the batch order and Adam's t come from the GPU clock, which the
// snapshots, the replay and the checkpoint carry with the parameters and v, s.
const batchedAdam = {
  sizes: [2, 16, 16, 3], activation: 'relu' as const, head: 'softmax' as const, optimizer: 'adam' as const, batchSize: 32,
  init: 'he' as const, seed: 5, dataset: { name: 'spiral' as const, classes: 3, m: 300 },
};

test('mini-batches with Adam: divergence is found at the exact step; the kept parameters and optimizer state are a fresh run\'s of that many steps (spiral, tanh, B=32, lr 0.01 then 1e37 from step 100)', async ({ harness }) => {
  // Adam moves each weight by about α a step: at 1e37 the logits leave float32's range within a few steps.
  const c = { ...batchedAdam, activation: 'tanh' as const, learningRate: 0.01, raise: { after: 100, learningRate: 1e37 } };
  const r = await call(harness, 'divergeRun', { ...c, steps: 300 });
  expect(r.error?.name).toBe('DivergenceError');
  const s = r.error!.step!;
  expect(s, 'diverges after the learning rate is raised, in a later window and epoch').toBeGreaterThan(100);
  expect([s - 1, s]).toContain(r.stepsDone);
  expect(r.keptFinite).toBe(true);
  expect(r.keptState.t, "Adam's t: the updates the kept parameters have had").toBe(r.stepsDone);
  expect(r.checkpoint?.step).toBe(r.stepsDone);
  expect(r.checkpoint?.state).toEqual(r.keptState);
  // Bit for bit what an uninterrupted run of that many steps leaves, v and s included.
  const fresh = await call(harness, 'generalRun', { ...c, steps: r.stepsDone });
  expect(fresh.params).toEqual(r.kept);
  expect(fresh.state).toEqual(r.keptState);
});

test('mini-batches with Adam: a device lost mid-run leaves a checkpoint of parameters and state from one step; a trainer on a new device resumes bit for bit (spiral, B=32)', async ({ harness }) => {
  const c = { ...batchedAdam, learningRate: 0.01 };
  const r = await call(harness, 'loseDeviceResume', { ...c, loseAfter: 600, more: 45 });
  expect(r.error?.name).toBe('DeviceLostError');
  const k = r.checkpoint.step;
  expect(k).toBeGreaterThan(0);
  expect(r.checkpoint.state.t, 'the state is from the same step as the parameters').toBe(k);
  // The checkpoint is exactly the uninterrupted run's state at step k, and k + 45 steps of the
  // resumed trainer (mid-epoch: 10 batches an epoch) are exactly the uninterrupted run's.
  const atK = await call(harness, 'generalRun', { ...c, steps: k });
  expect(atK.params).toEqual(r.checkpoint.params);
  expect(atK.state).toEqual(r.checkpoint.state);
  const whole = await call(harness, 'generalRun', { ...c, steps: k + 45 });
  expect(r.resumed.state).toEqual(whole.state);
  expect(r.resumed.params).toEqual(whole.params);
});

test('a queue write that fails (α, the parameters, into buffers destroyed under the trainer) rejects with GpuValidationError saying what was written: the seed\'s lanes step and a softmax Adam one', async ({ harness }) => {
  const cases = [
    { sizes: [2, 4, 1], activation: 'tanh' as const, learningRate: 1.2, dataset: { name: 'flower' as const } },
    { sizes: [2, 8, 3], activation: 'relu' as const, head: 'softmax' as const, optimizer: 'adam' as const, learningRate: 0.01, data: headData('softmax', 2, 3, 50, 7) },
  ];
  for (const c of cases) {
    const r = await call(harness, 'failedWrites', c);
    expect(r.learningRate, r.variant).toMatch(/^GpuValidationError: WebGPU validation error while setting the learning rate: /);
    expect(r.parameters, r.variant).toMatch(/^GpuValidationError: WebGPU validation error while setting the parameters: /);
  }
});
