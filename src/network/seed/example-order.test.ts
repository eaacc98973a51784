import { expect, test } from '@playwright/test';
import { createRng } from '../../data/rng.ts';
import { orderWindow, similarityOrder } from './example-order.ts';

/** Entries of the forward's block lists: (input, block of 4) pairs with any example nonzero. */
function blockEntries(signatures: Uint32Array, words: number, order: ArrayLike<number>): number {
  let entries = 0;
  for (let b = 0; b < order.length; b += 4) {
    for (let w = 0; w < words; w++) {
      let any = 0;
      for (let c = b; c < Math.min(b + 4, order.length); c++) any |= signatures[order[c] * words + w];
      for (let bit = 0; bit < 32; bit++) entries += (any >>> bit) & 1;
    }
  }
  return entries;
}

test('similarityOrder is a permutation that groups examples of the same pattern (4 interleaved patterns, m = 1,001)', () => {
  const m = 1001;
  const words = 3;
  const rng = createRng(5);
  // Example j follows pattern j mod 4 (each of the 96 inputs nonzero with probability 0.2), with noise.
  const bits = () => { let w = 0; for (let b = 0; b < 32; b++) if (rng.uniform() < 0.2) w |= 1 << b; return w >>> 0; };
  const patterns = Array.from({ length: 4 }, () => Array.from({ length: words }, bits));
  const signatures = new Uint32Array(m * words);
  for (let j = 0; j < m; j++) for (let w = 0; w < words; w++) signatures[j * words + w] = patterns[j % 4][w] ^ (rng.uniform() < 0.2 ? 1 << Math.floor(rng.uniform() * 32) : 0);
  const order = similarityOrder(signatures, m, words);
  expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: m }, (_, j) => j));
  expect(order[0]).toBe(0);
  const identity = Array.from({ length: m }, (_, j) => j);
  // Interleaved, every block holds all 4 patterns (1 − 0.8⁴ = 59 % of the inputs); ordered,
  // most blocks hold one (20 %).
  expect(blockEntries(signatures, words, order)).toBeLessThan(0.6 * blockEntries(signatures, words, identity));
});

test('similarityOrder keeps the order of identical examples, handles m = 0 and 1, and rejects a wrong signature length', () => {
  expect([...similarityOrder(new Uint32Array(5 * 2).fill(7), 5, 2)]).toEqual([0, 1, 2, 3, 4]);
  expect([...similarityOrder(new Uint32Array(0), 0, 2)]).toEqual([]);
  expect([...similarityOrder(Uint32Array.from([9]), 1, 1)]).toEqual([0]);
  expect(() => similarityOrder(new Uint32Array(3), 2, 2)).toThrow(/signatures: expected 2·2 = 4 words, got 3/);
});

test('orderWindow keeps m·window within the distance budget, between 1 and 256', () => {
  expect(orderWindow(10_000)).toBe(256);
  expect(orderWindow(100_000)).toBe(26);
  expect(orderWindow(1 << 20)).toBe(2);
  expect(orderWindow(10_000_000)).toBe(1);
});
