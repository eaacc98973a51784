// The general trainer on WebGPU against the float64 reference: one step's every
// tensor for each head, hidden activations per layer and L2; gradients against
// central differences; momentum and Adam over 20 steps; mini-batches fed the same
// seeded order; runs that repeat bit for bit; resuming from getState(); evaluate()'s
// metrics per head; variants that lack a feature refuse it by name.
import { initParameters } from '../src/model/init.ts';
import * as ref from '../src/reference/network.ts';
import { trainGeneral } from '../src/reference/training.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import type { Activation, Head, Optimizer, OptimizerKind, Parameters } from '../src/types.ts';
import type { TrainerCase } from './harness.ts';
import { plain } from './fixtures/data.ts';
import { headData } from './fixtures/general-data.ts';
import type { HarnessHandle } from './fixtures/page.ts';
import { call, expect, onFallbackAdapterOnly, test } from './fixtures/page.ts';

const STEP_TOL = { atol: 2e-6, rtol: 1e-4 };
const toParams = (sizes: number[], p: { W: number[][]; b: number[][] }): Parameters => ({
  sizes, W: p.W.map((w) => Float64Array.from(w)), b: p.b.map((b) => Float64Array.from(b)),
});
const fullOptimizer = (kind: OptimizerKind): Optimizer => ({ kind, beta1: Math.fround(0.9), beta2: Math.fround(0.999), epsilon: Math.fround(1e-8) });

const stepCases: { sizes: number[]; head: Head; hidden: Activation | Activation[]; m: number; l2?: number; l1?: number }[] = [
  { sizes: [3, 5, 4], head: 'softmax', hidden: 'relu', m: 257 },
  { sizes: [4, 6, 5, 3], head: 'softmax', hidden: ['linear', 'tanh'], m: 33, l2: 0.5, l1: 0.3 },
  { sizes: [2, 7, 2], head: 'linear', hidden: 'tanh', m: 1 },
  { sizes: [2, 9, 1], head: 'linear', hidden: 'leaky-relu', m: 66, l1: 0.2 },
  { sizes: [3, 5, 2], head: 'sigmoid', hidden: 'sigmoid', m: 65, l2: 0.2 },
  { sizes: [2, 10], head: 'softmax', hidden: [], m: 12 },
];

const caseName = ({ sizes, head, hidden, m, l2, l1 }: (typeof stepCases)[number]) =>
  `[${sizes}] ${head} ${JSON.stringify(hidden)} m=${m}${l2 ? ` λ=${l2}` : ''}${l1 ? ` λ1=${l1}` : ''}`;

// Two tests of three cases each, each case with the simple step, the tiled one (its
// register-tiled products), the shared one (products staged in workgroup memory, the
// GPU path, forced on this fallback adapter) and the small one (the whole step in one
// workgroup): a page per test, every case named in the title.
for (const group of [stepCases.slice(0, 3), stepCases.slice(3)]) {
  test(`one step, simple, tiled, shared and small: every tensor and the update match the float64 reference (${group.map(caseName).join('; ')})`, async ({ harness }) => {
    for (const [sc, variant] of group.flatMap((sc) => (['simple', 'tiled', 'shared', 'small'] as const).map((v) => [sc, v] as const))) {
      const { sizes, head, hidden, m, l2, l1 } = sc;
      const name = `${variant}: ${caseName(sc)}`;
      const L = sizes.length - 1;
      const data = headData(head, sizes[0], sizes[L], m, 17);
      const params = initParameters(sizes, 'xavier', 3);
      const c: TrainerCase = { sizes, activation: hidden, head, l2, l1, learningRate: 0.7, data, parameters: plain(params), variant };
      const gpu = await call(harness, 'oneStep', c);
      expect(gpu.variant, name).toBe(variant);
      const net = { hidden, head };
      const l2ref = l2 || l1 ? { lambda: Math.fround(l2 ?? 0), m, l1: Math.fround(l1 ?? 0) } : undefined;
      const cache = ref.forward(params, net, data.X, m);
      const grads = ref.backward(params, net, cache, data.Y, m, l2ref);
      const after = ref.update(params, grads, Math.fround(0.7));
      for (let l = 1; l <= L; l++) {
        // The small step keeps dZ only where the batch fills whole vec4s of examples (m % 4 = 0).
        const dZkept = variant !== 'small' || m % 4 === 0;
        expect(gpu.tensors[`dZ${l}`] !== undefined, `dZ${l} kept (${name})`).toBe(dZkept);
        for (const [key, e] of [['Z', cache.Z[l]], ['A', cache.A[l]], ['dZ', grads.dZ[l]], ['dW', grads.dW[l]], ['db', grads.db[l]]] as const) {
          if (key !== 'dZ' || dZkept) expectClose(gpu.tensors[`${key}${l}`], e, { ...STEP_TOL, name: `${key}${l} (${name})` });
        }
        expectClose(gpu.after.W[l], after.W[l], { ...STEP_TOL, name: `W${l} after the update (${name})` });
        expectClose(gpu.after.b[l], after.b[l], { ...STEP_TOL, name: `b${l} after the update (${name})` });
      }
      const J = ref.cost(cache.Z[L], data.Y, m, head) + ref.l2Cost(params, l2ref);
      expectClose([gpu.history[0].cost], [J], { atol: 1e-6, rtol: 1e-5, name: `J at step 0 (${name})` });
    }
  });
}

const fdCases: { sizes: number[]; head: Head; l2?: number; l1?: number }[] = [
  { sizes: [3, 4, 3], head: 'softmax' },
  { sizes: [3, 4, 3], head: 'softmax', l2: 0.8 },
  { sizes: [3, 4, 3], head: 'softmax', l1: 0.6 },
  { sizes: [3, 4, 2], head: 'linear' },
  { sizes: [3, 4, 2], head: 'linear', l2: 0.8, l1: 0.6 },
  { sizes: [3, 4, 1], head: 'sigmoid', l2: 0.8 },
];

test(`GPU gradients match central differences of the float64 cost, m=41 (${fdCases.map((c) => `[${c.sizes}] ${c.head}${c.l2 ? ` λ=${c.l2}` : ''}${c.l1 ? ` λ1=${c.l1}` : ''}`).join(', ')})`, async ({ harness }) => {
  for (const { sizes, head, l2, l1 } of fdCases) {
    const data = headData(head, 3, sizes[2], 41, 23);
    const params = initParameters(sizes, 'xavier', 5);
    const gpu = await call(harness, 'oneStep', { sizes, activation: 'tanh', head, l2, l1, learningRate: 1, data, parameters: plain(params) });
    // L1's |W| has a kink at 0 only; xavier's weights are all away from it by far more than 1e-6.
    const numeric = ref.numericalGradients(params, { hidden: 'tanh', head }, data, 1e-6, l2 || l1 ? { lambda: Math.fround(l2 ?? 0), m: 41, l1: Math.fround(l1 ?? 0) } : undefined);
    // As in trainer.spec.ts: float32 gradients ~1e-6, central differences ~1e-10;
    // a wrong head, transpose or penalty term is off by O(0.01–1).
    const name = `${head}${l2 ? ` λ=${l2}` : ''}${l1 ? ` λ1=${l1}` : ''}`;
    for (let l = 1; l <= 2; l++) {
      expectClose(gpu.tensors[`dW${l}`], numeric.dW[l], { atol: 1e-5, rtol: 1e-3, name: `dW${l} vs finite differences (${name})` });
      expectClose(gpu.tensors[`db${l}`], numeric.db[l], { atol: 1e-5, rtol: 1e-3, name: `db${l} vs finite differences (${name})` });
    }
  }
});

/** GPU run and float64 reference from the same start; costs per step and final parameters and state. */
async function compareRun(
  harness: HarnessHandle,
  c: { sizes: number[]; head: Head; optimizer: OptimizerKind; steps: number; m: number; batchSize?: number; l2?: number; lr: number; seed?: number; variant?: 'simple' | 'tiled' | 'shared' | 'small'; smallWorkgroup?: number },
  tol: { atol: number; rtol: number },
) {
  const L = c.sizes.length - 1;
  const data = headData(c.head, c.sizes[0], c.sizes[L], c.m, 31);
  const params = initParameters(c.sizes, 'xavier', 9);
  const gpu = await call(harness, 'generalRun', {
    sizes: c.sizes, activation: 'tanh', head: c.head, optimizer: c.optimizer, learningRate: c.lr, l2: c.l2, batchSize: c.batchSize,
    seed: c.seed ?? 4, data, parameters: plain(params), steps: c.steps, variant: c.variant, smallWorkgroup: c.smallWorkgroup,
  });
  if (c.variant) expect(gpu.variant).toBe(c.variant);
  const e = trainGeneral(params, data, c.steps, {
    net: { hidden: 'tanh', head: c.head }, learningRate: Math.fround(c.lr), optimizer: fullOptimizer(c.optimizer),
    l2: c.l2 && Math.fround(c.l2), batchSize: c.batchSize, seed: c.seed ?? 4,
  });
  const name = `${c.variant ?? 'auto'}${c.smallWorkgroup ? ` (${c.smallWorkgroup} invocations)` : ''}: ${c.optimizer}, [${c.sizes}], ${c.head}, m=${c.m}${c.batchSize ? `, B=${c.batchSize}` : ''}`;
  expect(gpu.history.map((h) => h.step)).toEqual([...Array(c.steps).keys()]);
  expectClose(gpu.history.map((h) => h.cost), e.costs, { ...tol, name: `costs per step (${name})` });
  const got = toParams(c.sizes, gpu.params);
  for (let l = 1; l <= L; l++) {
    expectClose(got.W[l], e.params.W[l], { ...tol, name: `W${l} after ${c.steps} steps (${name})` });
    expectClose(got.b[l], e.params.b[l], { ...tol, name: `b${l} after ${c.steps} steps (${name})` });
  }
  expect(gpu.state.t).toBe(c.steps);
  // The optimizer's state, weights and biases: v (momentum, Adam) and s (Adam).
  for (let l = 1; l <= L; l++) {
    if (e.state.v) {
      expectClose(gpu.state.v!.W[l], e.state.v.W[l], { ...tol, name: `v of W${l} (${name})` });
      expectClose(gpu.state.v!.b[l], e.state.v.b[l], { ...tol, name: `v of b${l} (${name})` });
    }
    if (e.state.s) {
      expectClose(gpu.state.s!.W[l], e.state.s.W[l], { atol: 1e-8, rtol: 1e-3, name: `s of W${l} (${name})` });
      expectClose(gpu.state.s!.b[l], e.state.s.b[l], { atol: 1e-8, rtol: 1e-3, name: `s of b${l} (${name})` });
    }
  }
  return gpu;
}

// Over 20 steps float32 rounding compounds; Adam's normalised step (≈ α per entry)
// amplifies relative error in tiny gradients, hence the looser bound for it.
test('momentum: 20 full-batch steps match the float64 reference, simple, tiled, shared and small (sizes=[3,6,4], softmax, L2 0.1, m=77)', async ({ harness }) => {
  for (const variant of ['simple', 'tiled', 'shared', 'small'] as const) {
    await compareRun(harness, { sizes: [3, 6, 4], head: 'softmax', optimizer: 'momentum', steps: 20, m: 77, l2: 0.1, lr: 0.5, variant }, { atol: 2e-5, rtol: 2e-4 });
  }
});

test('Adam: 20 full-batch steps match the float64 reference (sizes=[2,8,2], linear, m=50)', async ({ harness }) => {
  await compareRun(harness, { sizes: [2, 8, 2], head: 'linear', optimizer: 'adam', steps: 20, m: 50, lr: 0.01 }, { atol: 1e-4, rtol: 1e-3 });
});

// small at 64 invocations too: a GPU's workgroup (this adapter's default is 4).
test('mini-batches: 20 Adam steps of B=16 on m=103 (batches of 16 … 7, 2.9 epochs) match the reference fed the same order, simple, tiled, shared and small (4 and 64 invocations) (sizes=[3,7,5,3], softmax, L2 0.05)', async ({ harness }) => {
  const runs = [...(['simple', 'tiled', 'shared', 'small'] as const).map((variant) => ({ variant })), { variant: 'small' as const, smallWorkgroup: 64 }];
  for (const run of runs) {
    const gpu = await compareRun(harness, { sizes: [3, 7, 5, 3], head: 'softmax', optimizer: 'adam', steps: 20, m: 103, batchSize: 16, l2: 0.05, lr: 0.01, ...run }, { atol: 1e-4, rtol: 1e-3 });
    expect(gpu.epochs).toBeCloseTo(20 / 7, 10);
  }
});

test('mini-batches with plain gradient descent: the last batch of one example (m=33, B=8, sigmoid, 12 steps), simple and small', async ({ harness }) => {
  for (const variant of ['simple', 'small'] as const) {
    await compareRun(harness, { sizes: [2, 5, 1], head: 'sigmoid', optimizer: 'sgd', steps: 12, m: 33, batchSize: 8, lr: 0.5, variant }, { atol: 1e-5, rtol: 1e-4 });
  }
});

test('the same seed repeats a mini-batch Adam run bit for bit; another seed shuffles differently', async ({ harness }) => {
  const data = headData('softmax', 2, 3, 90, 8);
  const c = { sizes: [2, 6, 3], activation: 'relu' as const, head: 'softmax' as const, optimizer: 'adam' as const, learningRate: 0.01, batchSize: 25, data, steps: 15, init: 'xavier' as const };
  const a = await call(harness, 'generalRun', { ...c, seed: 3 });
  const b = await call(harness, 'generalRun', { ...c, seed: 3 });
  const other = await call(harness, 'generalRun', { ...c, seed: 4 });
  expect(b.params).toEqual(a.params);
  expect(b.history).toEqual(a.history);
  expect(other.history.map((h) => h.cost)).not.toEqual(a.history.map((h) => h.cost));
});

test('an Adam taken up at update 40 (state.start = 40: fresh v, s) counts its bias correction from there while the batch order goes on: 12 steps match the float64 reference, and getState() keeps start', async ({ harness }) => {
  const sizes = [3, 6, 4];
  const data = headData('softmax', 3, 4, 70, 12);
  const params = initParameters(sizes, 'xavier', 2);
  const zeros = plain(initParameters(sizes, 'zeros', 0));
  const c = { sizes, activation: 'tanh' as const, head: 'softmax' as const, optimizer: 'adam' as const, learningRate: 0.02, batchSize: 16, data, steps: 12, seed: 6, parameters: plain(params) };
  const gpu = await call(harness, 'generalRun', { ...c, state: { t: 40, start: 40, v: zeros, s: zeros } });
  const zero = initParameters(sizes, 'zeros', 0);
  const e = trainGeneral(params, data, 12, { net: { hidden: 'tanh', head: 'softmax' }, learningRate: Math.fround(0.02), optimizer: fullOptimizer('adam'), batchSize: 16, seed: 6 }, { t: 40, start: 40, v: zero, s: zero });
  expect([gpu.state.t, gpu.state.start]).toEqual([52, 40]);
  // Adam's tolerance, as in the Adam runs above: its first steps divide by √ŝ of small gradients.
  const tol = { atol: 1e-4, rtol: 1e-3 };
  expectClose(gpu.history.map((h) => h.cost), e.costs, { ...tol, name: 'costs' });
  const got = toParams(sizes, gpu.params);
  for (let l = 1; l <= 2; l++) expectClose(got.W[l], e.params.W[l], { ...tol, name: `W${l}` });
  // The old clock's correction would move each weight several times further in the first steps.
  const old = trainGeneral(params, data, 12, { net: { hidden: 'tanh', head: 'softmax' }, learningRate: Math.fround(0.02), optimizer: fullOptimizer('adam'), batchSize: 16, seed: 6 }, { t: 40, v: zero, s: zero });
  expect(Math.max(...old.params.W[1].map((v, i) => Math.abs(v - got.W[1][i])))).toBeGreaterThan(1e-3);
});

test('resuming from getState() mid-epoch continues bit for bit as if uninterrupted (Adam, B=16, m=70, 11 + 9 steps)', async ({ harness }) => {
  const data = headData('softmax', 3, 4, 70, 12);
  const c = { sizes: [3, 6, 4], activation: 'tanh' as const, head: 'softmax' as const, optimizer: 'adam' as const, learningRate: 0.02, batchSize: 16, l2: 0.01, data, steps: 20, seed: 6, init: 'xavier' as const };
  const whole = await call(harness, 'generalRun', c);
  const resumed = await call(harness, 'generalRun', { ...c, resumeAfter: 11 });
  expect(resumed.epochsAfterFirst).toBeCloseTo(11 / 5, 10);
  expect(resumed.state).toEqual(whole.state);
  expect(resumed.params).toEqual(whole.params);
  expect(resumed.history).toEqual(whole.history);
});

test('evaluate(): softmax accuracy and linear RMSE and R² match the float64 reference, on training and test data', async ({ harness }) => {
  for (const head of ['softmax', 'linear'] as Head[]) {
    const sizes = [2, 8, head === 'softmax' ? 3 : 1];
    const data = headData(head, 2, sizes[2], 120, 41);
    const test_ = headData(head, 2, sizes[2], 37, 42);
    const gpu = await call(harness, 'generalRun', { sizes, activation: 'tanh', head, optimizer: 'adam', learningRate: 0.02, data, steps: 30, seed: 1, init: 'xavier', evaluateOn: test_ });
    const p = toParams(sizes, gpu.params);
    for (const [d, got] of [[data, gpu.metrics], [test_, gpu.testMetrics!]] as const) {
      const cache = ref.forward(p, { hidden: 'tanh', head }, d.X, d.m);
      const J = ref.cost(cache.Z[2], d.Y, d.m, head);
      expectClose([got.cost], [J], { atol: 1e-5, rtol: 1e-5, name: `${head} J` });
      if (head === 'softmax') {
        expect(got.accuracy).toBeCloseTo(ref.accuracy(cache.A[2], d.Y, 'softmax', d.m), 6);
      } else {
        const r = ref.regressionMetrics(cache.A[2], d.Y, d.m);
        expect(Number.isNaN(got.accuracy)).toBe(true);
        expectClose([got.rmse!, got.r2!], [r.rmse, r.r2], { atol: 1e-5, rtol: 1e-4, name: 'RMSE, R²' });
      }
    }
  }
});

test("train's test option: the test metrics of every testEvery-th logged step equal evaluate(test) on the same parameters, and the training history is unchanged (softmax mini-batch Adam with L2, test m=37, every 10 of 5; the seed's network on lanes, test m=1)", async ({ harness }) => {
  const softmax = {
    sizes: [2, 8, 3], activation: 'tanh' as const, head: 'softmax' as const, optimizer: 'adam' as const, learningRate: 0.02, l2: 0.1, batchSize: 32,
    data: headData('softmax', 2, 3, 120, 41), test: headData('softmax', 2, 3, 37, 42), steps: 23, logEvery: 5, testEvery: 10, seed: 1, init: 'xavier' as const,
  };
  const seed = { sizes: [2, 4, 1], activation: 'tanh' as const, learningRate: 1.2, dataset: { name: 'flower' as const }, test: headData('sigmoid', 2, 1, 1, 3), steps: 40, logEvery: 10 };
  for (const c of [softmax, seed]) {
    const run = await call(harness, 'testedRun', c);
    const name = `[${c.sizes}] ${run.variant}`;
    expect(run.history.map((h) => h.step), name).toEqual(run.expected.map((e) => e.step));
    const every = 'testEvery' in c ? c.testEvery : c.logEvery;
    run.history.forEach((h, i) => {
      const e = run.expected[i];
      // Tested every testEvery steps and at the end; the same kernels on the same parameters: the same bits.
      expect(h.test !== undefined, `${name}, step ${h.step} tested`).toBe(h.step % every === 0 || i === run.history.length - 1);
      expect([h.cost, h.test?.cost ?? e.test.cost, h.test?.accuracy ?? e.test.accuracy], `${name}, step ${h.step}`).toEqual([e.cost, e.test.cost, e.test.accuracy]);
    });
    // The test cost moves as training goes (the option does not report one point over and over).
    expect(run.history[0].test!.cost, name).not.toBe(run.history[run.history.length - 1].test!.cost);
  }
});

test('evaluate(data) follows a forced variant: simple and the seed\'s fused steps evaluate with plain products, tiled with tiled ones, shared with shared ones ([24, 16, 1], m = 300)', async ({ harness }) => {
  const data = headData('sigmoid', 24, 1, 300, 5);
  const evaluateOn = headData('sigmoid', 24, 1, 77, 6);
  for (const [variant, kernels] of [['simple', 'plain'], ['tiled', 'tiled'], ['shared', 'shared'], ['fused2', 'plain']] as const) {
    const r = await call(harness, 'evaluationKernelsOf', { sizes: [24, 16, 1], activation: 'tanh', learningRate: 0.5, data, variant, evaluateOn });
    expect([r.variant, r.evaluation]).toEqual([variant, kernels]);
  }
});

test('a variant that lacks a feature refuses it by name (lanes with softmax, fused2 with Adam); a small step of 48 invocations is refused', async ({ harness }) => {
  const data = headData('softmax', 2, 3, 40, 1);
  const lanes = await call(harness, 'tryCreateWith', { options: { sizes: [2, 4, 3], head: 'softmax', learningRate: 0.1, variant: 'lanes' }, data });
  expect(lanes).toBe('InputError: variant: expected a variant that supports this network and training, got "lanes" (lanes needs sizes [n0, n1, 1], got [2, 4, 3])');
  const bin = headData('sigmoid', 2, 1, 40, 1);
  const fused2 = await call(harness, 'tryCreateWith', { options: { sizes: [2, 4, 1], learningRate: 0.1, variant: 'fused2', optimizer: 'adam' }, data: bin });
  expect(fused2).toBe('InputError: variant: expected a variant that supports this network and training, got "fused2" (fused2 needs the sgd optimizer, got adam)');
  const workgroup = await call(harness, 'tryCreateWith', { options: { sizes: [2, 4, 3], head: 'softmax', learningRate: 0.1, variant: 'small', smallWorkgroup: 48 }, data });
  expect(workgroup).toBe('InputError: smallWorkgroup: expected a power of two from 1 to 256, got 48');
});

test("on a fallback adapter, 'auto' takes small for the seed's network with momentum (the seed's own variants need sgd) and tiled for a step past small's work (shared is for GPUs)", async ({ harness }) => {
  await onFallbackAdapterOnly(harness);
  const bin = headData('sigmoid', 2, 1, 40, 1);
  const auto = await call(harness, 'generalRun', { sizes: [2, 4, 1], activation: 'tanh', optimizer: 'momentum', learningRate: 0.1, data: bin, steps: 2 });
  expect(auto.variant).toBe('small');
  // About 11 MFLOP a step (flopsPerStep): past SMALL_MAX_FLOPS.fallback.
  const wide = headData('sigmoid', 40, 1, 1000, 1);
  const tiled = await call(harness, 'generalRun', { sizes: [40, 64, 1], activation: 'tanh', optimizer: 'momentum', learningRate: 0.1, data: wide, steps: 2 });
  expect(tiled.variant).toBe('tiled');
});

test('setLearningRate takes effect on the simple, tiled and small steps (Adam, B=16): the rest of the run matches the float64 reference at the new rate', async ({ harness }) => {
  const sizes = [3, 6, 4];
  const data = headData('softmax', 3, 4, 70, 12);
  const params = initParameters(sizes, 'xavier', 9);
  // 6 steps at 0.01, then 0.05: the reference runs the same schedule (its state carried across).
  const first = trainGeneral(params, data, 6, { net: { hidden: 'tanh', head: 'softmax' }, learningRate: Math.fround(0.01), optimizer: fullOptimizer('adam'), batchSize: 16, seed: 4 });
  const second = trainGeneral(first.params, data, 8, {
    net: { hidden: 'tanh', head: 'softmax' }, learningRate: Math.fround(0.05), optimizer: fullOptimizer('adam'), batchSize: 16, seed: 4,
  }, first.state);
  for (const variant of ['simple', 'tiled', 'small'] as const) {
    const gpu = await call(harness, 'generalRun', {
      sizes, activation: 'tanh', head: 'softmax', optimizer: 'adam', learningRate: 0.01, batchSize: 16, seed: 4, data, parameters: plain(params), steps: 14, variant,
      raise: { after: 6, learningRate: 0.05 },
    });
    expect(gpu.variant).toBe(variant);
    const got = toParams(sizes, gpu.params);
    for (let l = 1; l <= 2; l++) expectClose(got.W[l], second.params.W[l], { atol: 1e-4, rtol: 1e-3, name: `${variant}: W${l} after 6 + 8 steps` });
  }
});
