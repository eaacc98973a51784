import { test, expect } from '@playwright/test';
import { DATASET_DEFAULTS, DATASET_NAMES, REGRESSION_DATASETS, makeDataset, type DatasetName } from './datasets.ts';
import { linspace } from './rng.ts';
import { expectClose } from '../testing/expect-close.ts';

// Feature i of example j is X[i * m + j]: X is (2, m).
const x1 = (d: { X: Float32Array; m: number }, j: number): number => d.X[j];
const x2 = (d: { X: Float32Array; m: number }, j: number): number => d.X[d.m + j];

const CLASSIFICATION = DATASET_NAMES.filter((n) => !REGRESSION_DATASETS.includes(n));

for (const name of CLASSIFICATION) {
  test(`${name}: default shape X (2, ${DATASET_DEFAULTS[name].m}), Y (1, m) of 0/1 labels, finite, balanced within 45–55%`, () => {
    const d = makeDataset(name);
    const m = DATASET_DEFAULTS[name].m;
    expect(d.name).toBe(name);
    expect([d.n0, d.m]).toEqual([2, m]);
    expect(d.X).toBeInstanceOf(Float32Array);
    expect(d.Y).toBeInstanceOf(Float32Array);
    expect(d.X.length).toBe(2 * m);
    expect(d.Y.length).toBe(m);
    expect(d.X.every(Number.isFinite)).toBe(true);
    expect(d.Y.every((y) => y === 0 || y === 1)).toBe(true);
    const ones = d.Y.reduce((s, y) => s + y, 0) / m;
    expect(ones).toBeGreaterThanOrEqual(0.45);
    expect(ones).toBeLessThanOrEqual(0.55);
  });
}

for (const name of DATASET_NAMES) {
  test(`${name}: same seed gives identical X and Y; seed 2 gives a different X (m=50)`, () => {
    const a = makeDataset(name, { m: 50, seed: 7 });
    const b = makeDataset(name, { m: 50, seed: 7 });
    const c = makeDataset(name, { m: 50, seed: 8 });
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.Y)).toEqual(Array.from(b.Y));
    expect(Array.from(a.X)).not.toEqual(Array.from(c.X));
  });

  test(`${name}: odd m = 7 and m = 1 give X of length 2m`, () => {
    for (const m of [7, 1]) {
      const d = makeDataset(name, { m });
      expect([d.m, d.X.length, d.Y.length]).toEqual([m, 2 * m, m]);
    }
  });
}

test('flower: 400 points, examples 0..199 class 0 and 200..399 class 1', () => {
  const d = makeDataset('flower');
  expect(Array.from(d.Y.slice(0, 200)).every((y) => y === 0)).toBe(true);
  expect(Array.from(d.Y.slice(200)).every((y) => y === 1)).toBe(true);
});

test('flower with noise 0 follows the course formula: t = linspace(j·3.12, (j+1)·3.12, 200), r = 4 sin 4t, x = (r sin t, r cos t)', () => {
  const d = makeDataset('flower', { noise: 0 });
  const expected1: number[] = [];
  const expected2: number[] = [];
  for (const j of [0, 1]) {
    for (const t of linspace(j * 3.12, (j + 1) * 3.12, 200)) {
      const r = 4 * Math.sin(4 * t);
      expected1.push(r * Math.sin(t));
      expected2.push(r * Math.cos(t));
    }
  }
  // float32 storage: relative rounding 6e-8 on values up to 4.
  expectClose(d.X.slice(0, 400), expected1, { atol: 1e-6, rtol: 1e-6, name: 'flower x1' });
  expectClose(d.X.slice(400), expected2, { atol: 1e-6, rtol: 1e-6, name: 'flower x2' });
});

test('flower with default noise 0.2: radii stay below a + 4σ ≈ 4.8 and the petals are not the noiseless ones', () => {
  const d = makeDataset('flower');
  const clean = makeDataset('flower', { noise: 0 });
  for (let j = 0; j < d.m; j++) expect(Math.hypot(x1(d, j), x2(d, j))).toBeLessThan(4 + 4 * 0.2);
  expect(Array.from(d.X)).not.toEqual(Array.from(clean.X));
});

test('moons with noise 0: class 0 on the upper unit half circle, class 1 on the lower one centred at (1, 0.5)', () => {
  const d = makeDataset('moons', { noise: 0, m: 100 });
  for (let j = 0; j < d.m; j++) {
    const [cx, cy] = d.Y[j] === 0 ? [0, 0] : [1, 0.5];
    expect(Math.abs(Math.hypot(x1(d, j) - cx, x2(d, j) - cy) - 1)).toBeLessThan(1e-6);
    expect(d.Y[j] === 0 ? x2(d, j) >= -1e-6 : x2(d, j) <= 0.5 + 1e-6).toBe(true);
  }
});

test('circles with noise 0: class 0 at radius 1, class 1 at radius 0.5', () => {
  const d = makeDataset('circles', { noise: 0, m: 60 });
  for (let j = 0; j < d.m; j++) {
    expect(Math.abs(Math.hypot(x1(d, j), x2(d, j)) - (d.Y[j] === 0 ? 1 : 0.5))).toBeLessThan(1e-6);
  }
});

test('xor with noise 0: points in [−1, 1]², label 1 exactly where x1·x2 > 0, classes exactly balanced (m=400)', () => {
  const d = makeDataset('xor', { noise: 0 });
  for (let j = 0; j < d.m; j++) {
    expect(Math.max(Math.abs(x1(d, j)), Math.abs(x2(d, j)))).toBeLessThanOrEqual(1);
    expect(d.Y[j]).toBe(x1(d, j) * x2(d, j) > 0 ? 1 : 0);
  }
  expect(d.Y.reduce((s, y) => s + y, 0)).toBe(200);
});

test('spiral with noise 0: radius 0.1 + 0.9 s and class 1 is class 0 turned by π (m=200)', () => {
  const d = makeDataset('spiral', { noise: 0, m: 200 });
  const s = linspace(0, 1, 100);
  for (let k = 0; k < 100; k++) {
    expect(Math.abs(Math.hypot(x1(d, k), x2(d, k)) - (0.1 + 0.9 * s[k]))).toBeLessThan(1e-6);
    expect(Math.abs(x1(d, 100 + k) + x1(d, k))).toBeLessThan(1e-6);
    expect(Math.abs(x2(d, 100 + k) + x2(d, k))).toBeLessThan(1e-6);
  }
});

test('blobs: class means within 0.15 of (−1, −1) and (1, 1) at the default noise 0.6 (m=400)', () => {
  const d = makeDataset('blobs');
  for (const [label, centre] of [
    [0, -1],
    [1, 1],
  ]) {
    const idx = [...Array(d.m).keys()].filter((j) => d.Y[j] === label);
    const mean1 = idx.reduce((s, j) => s + x1(d, j), 0) / idx.length;
    const mean2 = idx.reduce((s, j) => s + x2(d, j), 0) / idx.length;
    expect(Math.abs(mean1 - centre)).toBeLessThan(0.15);
    expect(Math.abs(mean2 - centre)).toBeLessThan(0.15);
  }
});

test('noise option scales the scatter: blobs with noise 0.1 are tighter than with noise 1', () => {
  const spread = (noise: number): number => {
    const d = makeDataset('blobs', { noise, m: 200 });
    let s = 0;
    for (let j = 0; j < d.m; j++) s += Math.abs(x1(d, j) - (d.Y[j] === 0 ? -1 : 1));
    return s / d.m;
  };
  expect(spread(0.1)).toBeLessThan(spread(1) / 5);
});

test('makeDataset rejects m = 0, m = 2.5, noise −1, noise NaN, seed 1.5 and an unknown name, naming the option', () => {
  expect(() => makeDataset('moons', { m: 0 })).toThrow(/^m: expected an integer ≥ 1, got 0/);
  expect(() => makeDataset('moons', { m: 2.5 })).toThrow(/^m: /);
  expect(() => makeDataset('moons', { noise: -1 })).toThrow(/^noise: expected a finite number ≥ 0, got -1/);
  expect(() => makeDataset('moons', { noise: Number.NaN })).toThrow(/^noise: /);
  expect(() => makeDataset('moons', { seed: 1.5 })).toThrow(/^seed: /);
  expect(() => makeDataset('swirl' as DatasetName)).toThrow(/^dataset: expected one of flower, moons/);
});

test('DATASET_DEFAULTS lists every data set with m ≥ 1, noise ≥ 0 and a description', () => {
  expect(Object.keys(DATASET_DEFAULTS).sort()).toEqual([...DATASET_NAMES].sort());
  for (const name of DATASET_NAMES) {
    const { m, noise, description } = DATASET_DEFAULTS[name];
    expect(Number.isInteger(m) && m >= 1).toBe(true);
    expect(noise).toBeGreaterThanOrEqual(0);
    expect(description.length).toBeGreaterThan(0);
  }
});

test('spiral and blobs with K = 3 and 5 classes: labels 0 … K−1, each class m/K examples (m=301); K = 2 keeps the two-class sets exactly', () => {
  for (const name of ['spiral', 'blobs'] as DatasetName[]) {
    for (const K of [3, 5]) {
      const d = makeDataset(name, { m: 301, classes: K });
      const counts = Array.from({ length: K }, (_, k) => d.Y.filter((y) => y === k).length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(301);
      for (const c of counts) expect(Math.abs(c - 301 / K)).toBeLessThan(1);
    }
    expect(Array.from(makeDataset(name, { classes: 2 }).X)).toEqual(Array.from(makeDataset(name).X));
  }
  expect(() => makeDataset('moons', { classes: 3 })).toThrow('classes: expected 2 for moons (spiral and blobs take K classes), got 3');
  expect(() => makeDataset('spiral', { classes: 1 })).toThrow('classes: expected an integer ≥ 2, got 1');
});

test('ripple: X uniform in [−1, 1]², Y = sin(3·x1)·cos(2·x2) + noise (noise 0: exact; noise 0.05: residual sd ≈ 0.05)', () => {
  const exact = makeDataset('ripple', { m: 500, noise: 0 });
  for (let j = 0; j < exact.m; j++) {
    expect(Math.abs(x1(exact, j))).toBeLessThanOrEqual(1);
    expect(exact.Y[j]).toBeCloseTo(Math.fround(Math.sin(3 * x1(exact, j)) * Math.cos(2 * x2(exact, j))), 5);
  }
  const noisy = makeDataset('ripple', { m: 4000 });
  let sq = 0;
  for (let j = 0; j < noisy.m; j++) sq += (noisy.Y[j] - Math.sin(3 * x1(noisy, j)) * Math.cos(2 * x2(noisy, j))) ** 2;
  expect(Math.sqrt(sq / noisy.m)).toBeGreaterThan(0.045);
  expect(Math.sqrt(sq / noisy.m)).toBeLessThan(0.055);
});
