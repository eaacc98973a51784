import { test, expect } from '@playwright/test';
import {
  accuracy,
  backward,
  cloneParameters,
  cost,
  forward,
  gradientStep,
  numericalGradients,
  trainReference,
  update,
} from './network.ts';
import { createRng } from '../data/rng.ts';
import { makeDataset } from '../data/datasets.ts';
import { initParameters } from '../model/init.ts';
import { expectClose } from '../testing/expect-close.ts';
import { ACTIVATIONS, type Activation, type Parameters } from '../types.ts';

/** Random parameters with nonzero biases (so db and the bias path are exercised) and random data. */
function problem(sizes: number[], m: number, seed: number) {
  const rng = createRng(seed);
  const params = initParameters(sizes, 'xavier', seed);
  for (let l = 1; l < sizes.length; l++) for (let i = 0; i < sizes[l]; i++) params.b[l][i] = 0.5 * rng.normal();
  const X = Float64Array.from({ length: sizes[0] * m }, () => rng.normal()); // (n0, m)
  const Y = Float64Array.from({ length: m }, () => (rng.uniform() < 0.5 ? 0 : 1)); // (1, m)
  return { params, data: { X, Y, m } };
}

/** Backward against central differences. eps = 1e-6 gives truncation error ~1e-12 and rounding ~1e-10. */
function checkGradients(sizes: number[], m: number, activation: Activation, seed: number) {
  const { params, data } = problem(sizes, m, seed);
  const cache = forward(params, activation, data.X, m);
  const grads = backward(params, activation, cache, data.Y, m);
  const numeric = numericalGradients(params, activation, data);
  for (let l = 1; l < sizes.length; l++) {
    const shape = `(${sizes[l]}, ${sizes[l - 1]})`;
    expectClose(grads.dW[l], numeric.dW[l], { atol: 1e-8, rtol: 1e-6, name: `dW${l} ${shape}` });
    expectClose(grads.db[l], numeric.db[l], { atol: 1e-8, rtol: 1e-6, name: `db${l}` });
    // A check that could not fail on all-zero gradients would prove nothing.
    expect(Math.max(...Array.from(grads.dW[l], Math.abs))).toBeGreaterThan(1e-4);
  }
}

for (const activation of ACTIVATIONS) {
  test(`backward dW1, db1, dW2, db2 match finite differences (n0=3, n1=5, m=7, ${activation})`, () => {
    checkGradients([3, 5, 1], 7, activation, 11);
  });
  test(`backward matches finite differences for a single example (n0=2, n1=4, m=1, ${activation})`, () => {
    checkGradients([2, 4, 1], 1, activation, 12);
  });
  test(`backward matches finite differences for two hidden layers (sizes [3, 4, 3, 1], m=6, ${activation})`, () => {
    checkGradients([3, 4, 3, 1], 6, activation, 13);
  });
}

test('backward for logistic regression (sizes [4, 1], L = 1, m = 5) matches finite differences', () => {
  checkGradients([4, 1], 5, 'tanh', 14);
});

test('forward on a hand-computed net (n0=2, n1=2, m=2, tanh): Z1, A1, Z2, A2', () => {
  const params: Parameters = {
    sizes: [2, 2, 1],
    W: [new Float64Array(0), Float64Array.from([1, 2, -1, 0.5]), Float64Array.from([3, -2])],
    b: [new Float64Array(0), Float64Array.from([0.5, -0.5]), Float64Array.from([0.25])],
  };
  // X columns: example 0 = (1, 0), example 1 = (-1, 2).
  const X = [1, -1, 0, 2];
  const { Z, A } = forward(params, 'tanh', X, 2);
  const Z1 = [1 + 0.5, -1 + 4 + 0.5, -1 - 0.5, 1 + 1 - 0.5];
  expectClose(Z[1], Z1, { atol: 0, rtol: 1e-15, name: 'Z1 (2, 2)' });
  expectClose(A[1], Z1.map(Math.tanh), { atol: 0, rtol: 1e-15, name: 'A1 (2, 2)' });
  const A1 = Z1.map(Math.tanh);
  const Z2 = [0, 1].map((j) => 3 * A1[j] - 2 * A1[2 + j] + 0.25);
  expectClose(Z[2], Z2, { atol: 1e-15, rtol: 1e-15, name: 'Z2 (1, 2)' });
  expectClose(A[2], Z2.map((z) => 1 / (1 + Math.exp(-z))), { atol: 1e-15, rtol: 1e-15, name: 'A2 (1, 2)' });
  expect(Array.from(A[0])).toEqual(X);
});

test('backward dZ2 equals A2 − Y exactly (n0=3, n1=5, m=7, tanh)', () => {
  const { params, data } = problem([3, 5, 1], 7, 21);
  const cache = forward(params, 'tanh', data.X, 7);
  const grads = backward(params, 'tanh', cache, data.Y, 7);
  expect(Array.from(grads.dZ[2])).toEqual(Array.from(cache.A[2], (a, j) => a - data.Y[j]));
});

test('cost matches −(1/m) Σ [y log a + (1−y) log(1−a)] for moderate logits (m=4)', () => {
  const Z = [-2, -0.3, 0.4, 3];
  const Y = [0, 1, 1, 0];
  const a = Z.map((z) => 1 / (1 + Math.exp(-z)));
  const naive = -a.reduce((s, ai, i) => s + Y[i] * Math.log(ai) + (1 - Y[i]) * Math.log(1 - ai), 0) / 4;
  expect(Math.abs(cost(Z, Y, 4) - naive)).toBeLessThan(1e-14);
});

test('cost stays finite at |z| = 1000: wrong side costs 1000 per example, right side 0', () => {
  expect(cost([1000], [0], 1)).toBe(1000);
  expect(cost([-1000], [1], 1)).toBe(1000);
  expect(cost([1000, -1000], [1, 0], 2)).toBe(0);
  expect(Number.isFinite(cost([1000, -1000, 1000], [0, 1, 1], 3))).toBe(true);
});

test('accuracy counts (a > 0.5) === (y === 1): 3 of 4, and a = 0.5 predicts class 0', () => {
  expect(accuracy([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 0])).toBe(0.75);
  expect(accuracy([0.5], [0])).toBe(1);
  expect(accuracy([0.5], [1])).toBe(0);
});

test('update is P − α·dP (the gradient, not P) and leaves its inputs unchanged (sizes [2, 3, 1])', () => {
  const { params, data } = problem([2, 3, 1], 5, 31);
  const before = cloneParameters(params);
  const grads = backward(params, 'tanh', forward(params, 'tanh', data.X, 5), data.Y, 5);
  const next = update(params, grads, 0.5);
  for (let l = 1; l <= 2; l++) {
    expect(Array.from(next.W[l])).toEqual(Array.from(params.W[l], (w, i) => w - 0.5 * grads.dW[l][i]));
    expect(Array.from(next.b[l])).toEqual(Array.from(params.b[l], (b, i) => b - 0.5 * grads.db[l][i]));
    expect(Array.from(params.W[l])).toEqual(Array.from(before.W[l]));
  }
  // The notes' slip W − α·W would shrink W toward zero: make sure that is not what happened.
  expect(Array.from(next.W[1])).not.toEqual(Array.from(params.W[1], (w) => w - 0.5 * w));
});

test('gradientStep returns the cost before the update and the updated parameters (sizes [2, 3, 1], m=5)', () => {
  const { params, data } = problem([2, 3, 1], 5, 32);
  const step = gradientStep(params, 'relu', data, 0.1);
  expect(step.cost).toBe(cost(forward(params, 'relu', data.X, 5).Z[2], data.Y, 5));
  expect(Array.from(step.params.W[1])).toEqual(Array.from(update(params, step.grads, 0.1).W[1]));
});

test('trainReference history has step 0, every 10th step and the final step 25; cost falls (moons, [2, 4, 1])', () => {
  const d = makeDataset('moons', { m: 50 });
  const p0 = initParameters([2, 4, 1], 'xavier', 1);
  const { params, history } = trainReference(p0, 'tanh', d, 25, 0.5, 10);
  expect(history.map((h) => h.step)).toEqual([0, 10, 20, 25]);
  expect(history[0].cost).toBe(cost(forward(p0, 'tanh', d.X, d.m).Z[2], d.Y, d.m));
  expect(history[3].cost).toBe(cost(forward(params, 'tanh', d.X, d.m).Z[2], d.Y, d.m));
  expect(history[3].cost).toBeLessThan(history[0].cost);
});

test('reference on the flower set (400 points): [2, 4, 1] tanh, lr 1.2, course init seed 1 reaches ≥ 0.88 after 10000 steps; [2, 1, 1] stays ≤ 0.75', () => {
  const d = makeDataset('flower');
  const train = (n1: number): number => {
    const p0 = initParameters([2, n1, 1], 'course', 1);
    const { params } = trainReference(p0, 'tanh', d, 10_000, 1.2);
    return accuracy(forward(params, 'tanh', d.X, d.m).A[2], d.Y);
  };
  const four = train(4);
  const one = train(1);
  // The course reports about 90% for 4 hidden units and about 67% for 1.
  expect(four).toBeGreaterThanOrEqual(0.88);
  expect(one).toBeLessThanOrEqual(0.75);
  expect(four - one).toBeGreaterThan(0.1);
});
