import { test, expect } from '@playwright/test';
import { batchExamples, batchesPerEpoch, epochKey, halfBits, mix32, permuteIndex } from './shuffle.ts';

test('permuteIndex is a permutation of [0, m) for m = 1, 2, 3, 17, 1000, 4097 and several keys', () => {
  for (const m of [1, 2, 3, 17, 1000, 4097]) {
    for (const key of [0, 1, 0xdeadbeef, epochKey(7, 3)]) {
      const perm = Array.from({ length: m }, (_, i) => permuteIndex(i, m, key));
      const outside = perm.filter((p) => !(Number.isInteger(p) && p >= 0 && p < m));
      expect(outside, `m = ${m}, key ${key}: values outside [0, m)`).toEqual([]);
      expect(new Set(perm).size, `m = ${m}, key ${key}: every index exactly once`).toBe(m);
    }
  }
});

test('epochs get different orders, the same seed the same order; a seed changes it', () => {
  const m = 1000;
  const order = (seed: number, epoch: number) => Array.from({ length: m }, (_, i) => permuteIndex(i, m, epochKey(seed, epoch)));
  expect(order(1, 0)).toEqual(order(1, 0));
  const differs = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length;
  expect(differs(order(1, 0), order(1, 1))).toBeGreaterThan(900);
  expect(differs(order(1, 0), order(2, 0))).toBeGreaterThan(900);
  // Not the identity: a shuffle moves nearly every example.
  expect(differs(order(1, 0), Array.from({ length: m }, (_, i) => i))).toBeGreaterThan(900);
});

test('batchExamples: ⌈m/B⌉ batches per epoch, the last smaller, together one epoch of every example once', () => {
  const m = 10;
  const B = 4;
  expect(batchesPerEpoch(m, B)).toBe(3);
  const epoch0 = [0, 1, 2].map((t) => batchExamples(t, m, B, 9));
  expect(epoch0.map((b) => b.length)).toEqual([4, 4, 2]);
  expect(epoch0.flat().sort((a, b) => a - b)).toEqual([...Array(m).keys()]);
  const epoch1 = [3, 4, 5].map((t) => batchExamples(t, m, B, 9));
  expect(epoch1.flat().sort((a, b) => a - b)).toEqual([...Array(m).keys()]);
  expect(epoch1.flat()).not.toEqual(epoch0.flat());
});

test('mix32 and halfBits: u32 results, and 2^(2h) ≥ m with h ≥ 1', () => {
  expect(mix32(0)).toBe(0);
  expect(mix32(1)).toBeGreaterThan(0);
  expect(mix32(0xffffffff)).toBeLessThan(2 ** 32);
  expect([1, 4, 5, 16, 17, 8000, 2 ** 20].map(halfBits)).toEqual([1, 1, 2, 2, 3, 7, 10]);
});
