// The whole trainer on WebGPU against the float64 reference: one step's every
// tensor, gradients against finite differences, 1,000 steps, the course's
// flower result, symmetry under zero initialization, and one encoder per step.
import { makeDataset } from '../src/data/datasets.ts';
import { initParameters } from '../src/model/init.ts';
import * as ref from '../src/reference/network.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import { ACTIVATIONS, type Activation, type Parameters } from '../src/types.ts';
import type { TrainerCase, TryCreateCase } from './harness.ts';
import { call, expect, test } from './fixtures/page.ts';
import { plain, randomData } from './fixtures/data.ts';
import { expectStepMatchesReference } from './fixtures/one-step.ts';


const toParams = (sizes: number[], p: { W: number[][]; b: number[][] }): Parameters => ({
  sizes,
  W: p.W.map((w) => Float64Array.from(w)),
  b: p.b.map((b) => Float64Array.from(b)),
});


const stepCases: { sizes: number[]; activation: Activation; m: number }[] = [
  ...ACTIVATIONS.map((activation) => ({ sizes: [3, 5, 1], activation, m: 257 })),
  { sizes: [3, 5, 1], activation: 'tanh', m: 1 },
  { sizes: [2, 70, 1], activation: 'relu', m: 65 },
  { sizes: [4, 5, 3, 1], activation: 'tanh', m: 33 },
];

for (const { sizes, activation, m } of stepCases) {
  const name = `sizes=[${sizes}], ${activation}, m=${m}`;
  test(`one step: every tensor and the update match the float64 reference (${name})`, async ({ harness }) => {
    const data = randomData(sizes[0], m, 7);
    const params = initParameters(sizes, 'xavier', 3);
    // The simple step: one dispatch per equation, every intermediate readable.
    const c: TrainerCase = { sizes, activation, learningRate: 0.7, data, parameters: plain(params), variant: 'simple' };
    const gpu = await call(harness, 'oneStep', c);

    expectStepMatchesReference(gpu, { params, activation, data, learningRate: 0.7, name });
  });
}

for (const activation of ['tanh', 'sigmoid', 'leaky-relu'] as Activation[]) {
  test(`one step: GPU gradients match central finite differences of the float64 cost (sizes=[3,4,1], ${activation}, m=41, the variant 'auto' picks)`, async ({ harness }) => {
    const sizes = [3, 4, 1];
    const data = randomData(3, 41, 11);
    const params = initParameters(sizes, 'xavier', 5);
    const gpu = await call(harness, 'oneStep', { sizes, activation, learningRate: 1, data, parameters: plain(params) });
    console.log(`finite differences checked on variant ${gpu.variant}`);
    const numeric = ref.numericalGradients(params, activation, data, 1e-6);
    // Central differences carry O(ε²) truncation and ~1e-10 cancellation error;
    // the GPU's float32 gradients ~1e-6: a tolerance of 1e-5 separates both from
    // any real mistake (a wrong g' or transpose is off by O(0.01-1)).
    for (let l = 1; l <= 2; l++) {
      expectClose(gpu.tensors[`dW${l}`], numeric.dW[l], { atol: 1e-5, rtol: 1e-3, name: `dW${l} vs finite differences` });
      expectClose(gpu.tensors[`db${l}`], numeric.db[l], { atol: 1e-5, rtol: 1e-3, name: `db${l} vs finite differences` });
    }
  });
}

test('1,000 steps on the flower set match the float64 reference (sizes=[2,4,1], tanh, lr=1.2, m=400)', async ({ harness }) => {
  const sizes = [2, 4, 1];
  const data = makeDataset('flower');
  const params = initParameters(sizes, 'course', 1);
  const gpu = await call(harness, 'trainRun', {
    sizes, activation: 'tanh', learningRate: 1.2, init: 'course', seed: 1, dataset: { name: 'flower' }, steps: 1000, logEvery: 100,
  });
  const expected = ref.trainReference(params, 'tanh', { X: data.X, Y: data.Y, m: data.m }, 1000, Math.fround(1.2), 100);
  expect(gpu.history.map((h) => h.step)).toEqual(expected.history.map((h) => h.step));
  // Float32 rounding compounds over 1,000 steps; the trajectories stay within
  // 1e-3 relative here (measured: ~1e-5), while a wrong kernel departs at once.
  expectClose(gpu.history.map((h) => h.cost), expected.history.map((h) => h.cost), { atol: 1e-4, rtol: 1e-3, name: 'cost history' });
  for (let l = 1; l <= 2; l++) {
    expectClose(gpu.params.W[l], expected.params.W[l], { atol: 1e-3, rtol: 1e-3, name: `W${l} after 1,000 steps` });
    expectClose(gpu.params.b[l], expected.params.b[l], { atol: 1e-3, rtol: 1e-3, name: `b${l} after 1,000 steps` });
  }
});

test('the course result: flower set, 4 tanh units, lr 1.2, 10,000 steps reach ≥ 88% training accuracy; 1 unit does clearly worse', async ({ harness }) => {
  test.setTimeout(300_000);
  const base = { activation: 'tanh' as const, learningRate: 1.2, init: 'course' as const, seed: 1, dataset: { name: 'flower' as const }, steps: 10_000, logEvery: 1000 };
  const four = await call(harness, 'trainRun', { ...base, sizes: [2, 4, 1] });
  const one = await call(harness, 'trainRun', { ...base, sizes: [2, 1, 1] });
  console.log(`flower: 4 units ${(four.metrics.accuracy * 100).toFixed(2)}% (cost ${four.metrics.cost.toFixed(4)}, ${(10_000 / four.seconds).toFixed(0)} steps/s); 1 unit ${(one.metrics.accuracy * 100).toFixed(2)}%`);
  expect(four.metrics.accuracy).toBeGreaterThanOrEqual(0.88);
  expect(four.metrics.accuracy - one.metrics.accuracy).toBeGreaterThan(0.1);
  // The cost falls: the last logged cost is far below the first (ln 2 ≈ 0.693).
  expect(four.history[0].cost).toBeGreaterThan(0.69);
  expect(four.history[four.history.length - 1].cost).toBeLessThan(0.35);
});

test('zero initialization never breaks symmetry: all hidden units stay identical (sizes=[2,4,1], sigmoid, 2,000 steps)', async ({ harness }) => {
  // Unbalanced labels (y = [x0 > −0.5], about 70% ones) and a sigmoid hidden
  // layer, so that zero-initialized weights do receive gradients: with tanh,
  // A1 = tanh(0) = 0 and nothing but b2 could ever move.
  const data = randomData(2, 300, 21);
  data.Y = data.Y.map((_, j) => (data.X[j] > -0.5 ? 1 : 0));
  const c = { sizes: [2, 4, 1], activation: 'sigmoid' as const, learningRate: 1.2, data, steps: 2000, logEvery: 500 };
  const run = await call(harness, 'trainRun', { ...c, init: 'zeros' });
  const [W1, b1, W2] = [run.params.W[1], run.params.b[1], run.params.W[2]];
  // Every row of W1 equals the first, and so do the b1 and W2 entries...
  for (let i = 1; i < 4; i++) {
    expect(W1.slice(2 * i, 2 * i + 2)).toEqual(W1.slice(0, 2));
    expect(b1[i]).toBe(b1[0]);
    expect(W2[i]).toBe(W2[0]);
  }
  // ...although training moved them: the network learned one unit four times.
  expect(Math.abs(W1[0]) + Math.abs(W2[0])).toBeGreaterThan(0.01);
  // Random initialization does break the symmetry.
  const random = await call(harness, 'trainRun', { ...c, init: 'course', steps: 10 });
  expect(random.params.W[1].slice(2, 4)).not.toEqual(random.params.W[1].slice(0, 2));
});

test('one command encoder per gradient step; by default a window\'s steps go in one submit, with stepsPerSubmit 1 each alone (sizes=[2,4,1], 150 steps, logEvery 7)', async ({ harness }) => {
  const c = { sizes: [2, 4, 1], activation: 'tanh' as const, learningRate: 1.2, dataset: { name: 'flower' as const }, steps: 150, logEvery: 7 };
  const batched = await call(harness, 'countEncoders', c);
  expect(batched.encoders.filter((l) => l.startsWith('step '))).toEqual(Array.from({ length: 150 }, (_, i) => `step ${i}`));
  const windows = batched.submits.filter((s) => s.some((l) => l.startsWith('step ')));
  // A small network's windows are 64 steps (its step is far below the window's FLOP budget):
  // 64, 64 and the 22 left, each command buffer a step's, in order.
  expect(windows.map((s) => s.length)).toEqual([64, 64, 22]);
  expect(windows.flat()).toEqual(Array.from({ length: 150 }, (_, i) => `step ${i}`));
  const r = await call(harness, 'countEncoders', { ...c, stepsPerSubmit: 1 });
  expect(r.steps).toBe(150);
  const stepEncoders = r.encoders.filter((l) => l.startsWith('step '));
  expect(stepEncoders).toEqual(Array.from({ length: 150 }, (_, i) => `step ${i}`));
  const stepSubmits = r.submits.filter((s) => s.some((l) => l.startsWith('step ')));
  // Each step's encoder is finished into exactly one command buffer, submitted alone.
  expect(stepSubmits).toEqual(Array.from({ length: 150 }, (_, i) => [`step ${i}`]));
  // Metrics were not read back per step: besides the steps, one small copy
  // submit per window (3), one at the start, and the final evaluation
  // and checkpoint readbacks.
  expect(r.submits.length - stepSubmits.length).toBeLessThanOrEqual(windows.length + 3);
});

test('stopping with an AbortSignal mid-run leaves a usable trainer (stop after step 10 of 10,000)', async ({ harness }) => {
  const r = await call(harness, 'stopEarly', {
    sizes: [2, 4, 1], activation: 'tanh', learningRate: 1.2, dataset: { name: 'flower' }, steps: 10_000, stopAfter: 10,
  });
  expect(r.run.stopped).toBe(true);
  expect(r.run.steps).toBeLessThan(10_000);
  expect(r.again.steps).toBe(5);
  expect(r.stepsDone).toBe(r.run.steps + 5);
  expect(Number.isFinite(r.again.history[r.again.history.length - 1].cost)).toBe(true);
  // A stopped call returns without a final pass over the data: its last point is a logged step's.
  expect(r.run.history.at(-1)!.step).toBeLessThan(r.stepsDone - 5);
});

test('Trainer.create rejects bad input with an InputError naming the argument, before any GPU work', async ({ harness }) => {
  const ok = { sizes: [2, 4, 1], learningRate: 1 };
  const cases: [TryCreateCase, RegExp][] = [
    [{ options: ok }, /^no error$/],
    [{ options: { sizes: [3, 4, 1], learningRate: 1 } }, /^InputError: data.*n0/],
    [{ options: { sizes: [2, 4, 1], learningRate: -1 } }, /^InputError: learningRate: expected .*got -1/],
    [{ options: { sizes: [2, 4.5, 1], learningRate: 1 } }, /^InputError: sizes/],
    [{ options: { ...ok, activation: 'swish' } }, /^InputError: activation: expected .*got "swish"/],
    [{ options: ok, patch: 'short Y' }, /^InputError: data\.Y/],
    [{ options: ok, patch: 'NaN X' }, /^InputError: data\.X.*5/],
    [{ options: ok, patch: 'label 2' }, /^InputError: data\.Y.*3/],
  ];
  for (const [c, expected] of cases) expect(await call(harness, 'tryCreate', c)).toMatch(expected);
});

test('profileStep times every kernel of the step with timestamp queries, and those are real steps (simple and lanes, [2,4,1], 3 repeats)', async ({ harness }) => {
  const base = { sizes: [2, 4, 1], activation: 'tanh' as const, learningRate: 1.2, dataset: { name: 'flower' as const }, repeats: 3 };
  const simple = await call(harness, 'profile', { ...base, variant: 'simple' });
  expect(simple.times.map((t) => t.kernel)).toEqual([
    'forward_layer(tanh)', 'forward_layer(sigmoid)', 'a_minus_y(sigmoid)', 'matmul_abt_scaled_serial', 'sum_rows_serial', 'matmul_atb', 'mul_g_prime(tanh)', 'update(sgd)',
  ]);
  for (const t of simple.times) expect(t.microseconds, t.kernel).toBeGreaterThan(0);
  expect(simple.stepsDone).toBe(3);
  // The profiled dispatches did train: the same 3 steps through train() give the same parameters.
  const trained = await call(harness, 'trainRun', { ...base, variant: 'simple', steps: 3, logEvery: 1 });
  expect(simple.params).toEqual(trained.params);
  const lanes = await call(harness, 'profile', base);
  expect(lanes.variant).toBe('lanes');
  expect(lanes.times.map((t) => t.kernel)).toEqual(['fused_step_lanes(tanh)']);
});
