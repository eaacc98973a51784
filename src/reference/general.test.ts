// The float64 reference's new parts against central differences and hand-written
// cases: each head's dZ = A − T with its cost, L2 in cost and gradient, the update
// rules, and mini-batches that cover each epoch.
import { test, expect } from '@playwright/test';
import { createRng } from '../data/rng.ts';
import { initParameters } from '../model/init.ts';
import { expectClose } from '../testing/expect-close.ts';
import type { Head, Optimizer } from '../types.ts';
import { backward, cost, forward, l2Cost, numericalGradients, type Net } from './network.ts';
import { batchOf, initialState, optimizerStep, trainGeneral } from './training.ts';

function problem(sizes: number[], m: number, head: Head, seed: number) {
  const rng = createRng(seed);
  const params = initParameters(sizes, 'xavier', seed);
  for (let l = 1; l < sizes.length; l++) for (let i = 0; i < sizes[l]; i++) params.b[l][i] = 0.5 * rng.normal();
  const L = sizes.length - 1;
  const K = sizes[L];
  const X = Float64Array.from({ length: sizes[0] * m }, () => rng.normal());
  const Y =
    head === 'softmax'
      ? Float64Array.from({ length: m }, () => Math.floor(rng.uniform() * K))
      : Float64Array.from({ length: K * m }, () => (head === 'linear' ? 2 * rng.normal() : rng.uniform() < 0.5 ? 0 : 1));
  return { params, data: { X, Y, m, n0: sizes[0] } };
}

const gradientCases: { sizes: number[]; head: Head; net: Net; l2?: number }[] = [
  { sizes: [3, 5, 4], head: 'softmax', net: { hidden: 'tanh', head: 'softmax' } },
  { sizes: [3, 5, 4, 3], head: 'softmax', net: { hidden: ['relu', 'sigmoid'], head: 'softmax' }, l2: 0.7 },
  { sizes: [2, 6, 2], head: 'linear', net: { hidden: 'tanh', head: 'linear' } },
  { sizes: [2, 6, 1], head: 'linear', net: { hidden: 'leaky-relu', head: 'linear' }, l2: 0.3 },
  { sizes: [3, 4, 2], head: 'sigmoid', net: { hidden: 'tanh', head: 'sigmoid' }, l2: 1.5 },
];

for (const [s, c] of gradientCases.entries()) {
  test(`backward matches central differences of the cost (sizes=[${c.sizes}], ${c.head}${c.l2 ? `, λ=${c.l2}` : ''}, m=7)`, () => {
    const { params, data } = problem(c.sizes, 7, c.head, 40 + s);
    const l2 = c.l2 ? { lambda: c.l2, m: 7 } : undefined;
    const grads = backward(params, c.net, forward(params, c.net, data.X, 7), data.Y, 7, l2);
    const numeric = numericalGradients(params, c.net, data, 1e-6, l2);
    for (let l = 1; l < c.sizes.length; l++) {
      expectClose(grads.dW[l], numeric.dW[l], { atol: 1e-8, rtol: 1e-6, name: `dW${l}` });
      expectClose(grads.db[l], numeric.db[l], { atol: 1e-8, rtol: 1e-6, name: `db${l}` });
      expect(Math.max(...Array.from(grads.dW[l], Math.abs))).toBeGreaterThan(1e-4);
    }
  });
}

test('softmax cost stays finite and exact for logits of ±1000 (log-sum-exp from the max)', () => {
  // Z (3, 2): column 0 favours class 0 by 1000, column 1 is a tie between 1 and 2.
  const Z = Float64Array.of(1000, -5, 0, 1000, -1000, 1000);
  expect(cost(Z, [0, 1], 2, 'softmax')).toBeCloseTo((0 + Math.log(2)) / 2, 12);
  expect(cost(Z, [1, 0], 2, 'softmax')).toBeCloseTo((1000 + 1005 + Math.log(2)) / 2, 9);
});

test('l2Cost is (λ/2m)·Σ‖W‖² over weights only', () => {
  const p = { sizes: [1, 2, 1], W: [new Float64Array(0), Float64Array.of(1, 2), Float64Array.of(3, 0)], b: [new Float64Array(0), Float64Array.of(100, 100), Float64Array.of(100)] };
  expect(l2Cost(p, { lambda: 0.5, m: 4 })).toBeCloseTo((0.5 / 8) * 14, 14);
});

test('optimizerStep: momentum and Adam by hand for one parameter over two updates', () => {
  const p = { sizes: [1, 1], W: [new Float64Array(0), Float64Array.of(1)], b: [new Float64Array(0), Float64Array.of(0)] };
  const g = { dW: [new Float64Array(0), Float64Array.of(0.5)], db: [new Float64Array(0), Float64Array.of(0)] };
  const momentum: Optimizer = { kind: 'momentum', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  let r = optimizerStep(p, g, momentum, initialState(p, momentum), 0.1);
  expect(r.state.v!.W[1][0]).toBeCloseTo(0.05, 15); // v = 0.1·0.5
  expect(r.params.W[1][0]).toBeCloseTo(1 - 0.005, 15);
  r = optimizerStep(r.params, g, momentum, r.state, 0.1);
  expect(r.state.v!.W[1][0]).toBeCloseTo(0.9 * 0.05 + 0.05, 15);
  const adam: Optimizer = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const a = optimizerStep(p, g, adam, initialState(p, adam), 0.1);
  // t = 1: v̂ = g, ŝ = g², step = α·g/(|g| + ε) ≈ α.
  expect(a.params.W[1][0]).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-8)), 14);
  expect(a.state.t).toBe(1);
});

test('trainGeneral with batches: each epoch feeds every example once (B=3, m=7: batches 3, 3, 1)', () => {
  const { data } = problem([2, 3, 1], 7, 'sigmoid', 3);
  const seen = [0, 1, 2].map((t) => batchOf(data, 1, t, 3, 11).m);
  expect(seen).toEqual([3, 3, 1]);
  const { params } = problem([2, 3, 1], 7, 'sigmoid', 3);
  const run = trainGeneral(params, data, 9, { net: 'tanh', learningRate: 0.5, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, batchSize: 3, seed: 11, l2: 0.1 });
  expect(run.state.t).toBe(9);
  expect(run.costs.length).toBe(9);
  expect(run.costs.every(Number.isFinite)).toBe(true);
});

test('an Adam taken up mid-run (start = t = 5000) begins at its own step 1: its first update is α·dP/|dP| per entry, not the 3–6× α of a bias correction from the old clock', () => {
  const params = initParameters([2, 3, 1], 'xavier', 4);
  const grads = { dW: params.W.map((w) => w.map((_, i) => 0.5 - 0.13 * i)), db: params.b.map((b) => b.map((_, i) => 0.2 + 0.1 * i)) };
  const adam: Optimizer = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const alpha = 0.01;
  const largest = (before: typeof params, after: typeof params) => Math.max(...after.W.flatMap((w, l) => Array.from(w, (v, i) => Math.abs(v - before.W[l][i]))));
  const fresh = { ...initialState(params, adam), t: 5000 };
  const own = optimizerStep(params, grads, adam, { ...fresh, start: 5000 }, alpha);
  expect(largest(params, own.params)).toBeCloseTo(alpha, 6);
  expect(own.state).toMatchObject({ t: 5001, start: 5000 });
  // From the old clock, with a steady gradient, update k is α·(1 − β1^k)/√((1 − β2^k)/(1 − β2^t)):
  // 0.1/√(0.001/0.993) ≈ 3.2α at the first, ≈ 6α at the tenth (what the issue measured on the page).
  let [p, state] = [params, fresh as typeof fresh & { start?: number }];
  const steps: number[] = [];
  for (let k = 1; k <= 10; k++) {
    const next = optimizerStep(p, grads, adam, state, alpha);
    steps.push(largest(p, next.params) / alpha);
    ({ params: p, state } = next);
  }
  const expected = (k: number) => (1 - 0.9 ** k) / Math.sqrt((1 - 0.999 ** k) / (1 - 0.999 ** (5000 + k)));
  expect(steps[0]).toBeCloseTo(expected(1), 3);
  expect(steps[9]).toBeCloseTo(expected(10), 3);
  expect(steps[0]).toBeGreaterThan(3);
  expect(steps[9]).toBeGreaterThan(5.5);
});
