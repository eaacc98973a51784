import { test, expect } from '@playwright/test';
import { makeDataset } from './datasets.ts';
import { splitDataset, takeColumns } from './split.ts';

// Each example as "x1,x2,y" so that the parts can be compared with the whole as sets.
const rows = (d: { m: number; X: Float32Array; Y: Float32Array }): string[] =>
  Array.from({ length: d.m }, (_, j) => `${d.X[j]},${d.X[d.m + j]},${d.Y[j]}`);

test('splitDataset: 30% of flower (m=400) gives test m=120, train m=280, together exactly the original examples', () => {
  const data = makeDataset('flower');
  const { train, test: held } = splitDataset(data, 0.3, 5);
  expect([train.m, held.m]).toEqual([280, 120]);
  expect([train.n0, held.n0]).toEqual([2, 2]);
  expect([...rows(train), ...rows(held)].sort()).toEqual(rows(data).sort());
});

test('splitDataset: same seed gives the same split, another seed a different one (moons, m=100)', () => {
  const data = makeDataset('moons', { m: 100 });
  const a = splitDataset(data, 0.25, 3);
  const b = splitDataset(data, 0.25, 3);
  const c = splitDataset(data, 0.25, 4);
  expect(rows(a.test)).toEqual(rows(b.test));
  expect(rows(a.test)).not.toEqual(rows(c.test));
});

test('splitDataset: fraction 0 leaves an empty test set; the training set keeps at least one example (m=1)', () => {
  const data = makeDataset('xor', { m: 10 });
  expect(splitDataset(data, 0).test.m).toBe(0);
  expect(splitDataset(data, 0).train.m).toBe(10);
  const one = makeDataset('xor', { m: 1 });
  expect(splitDataset(one, 0.9).train.m).toBe(1);
});

test('splitDataset: a fraction outside [0, 1) is an InputError naming testFraction', () => {
  const data = makeDataset('xor', { m: 10 });
  expect(() => splitDataset(data, 1)).toThrow(/testFraction/);
  expect(() => splitDataset(data, -0.1)).toThrow(/testFraction/);
  expect(() => splitDataset(data, Number.NaN)).toThrow(/testFraction/);
});

test('takeColumns: picks examples in the given order from X (n0=3, m=4) row-major', () => {
  const X = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
  const Y = Float32Array.from([0, 1, 0, 1]);
  const d = takeColumns({ name: 'd', n0: 3, m: 4, X, Y }, [3, 0]);
  expect([...d.X]).toEqual([3, 0, 13, 10, 23, 20]);
  expect([...d.Y]).toEqual([1, 0]);
});
