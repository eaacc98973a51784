import { expect, test } from '@playwright/test';
import { chunkSize, splitColumns } from './chunks.ts';

test('splitColumns cuts X (n0=2, m=5) into column blocks of 2, 2, 1 with their labels', () => {
  const X = Float32Array.from([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]); // rows: x0, x1
  const Y = Float32Array.from([0, 1, 0, 1, 1]);
  const chunks = splitColumns(X, Y, 2, 5, 2);
  expect(chunks.map((c) => [c.start, c.m])).toEqual([[0, 2], [2, 2], [4, 1]]);
  expect([...chunks[1].X]).toEqual([2, 3, 12, 13]);
  expect([...chunks[2].X]).toEqual([4, 14]);
  expect([...chunks[1].Y]).toEqual([0, 1]);
});

test('chunkSize keeps the widest (n, chunk) matrix within the byte limit, and rejects W too large', () => {
  expect(chunkSize([2, 4, 1], 1000, 4 * 4 * 100)).toBe(100);
  expect(chunkSize([2, 4, 1], 50, 4 * 4 * 100)).toBe(50);
  expect(() => chunkSize([784, 100_000, 1], 10, 128 * 2 ** 20)).toThrow(/sizes: .*W1 is \(100000, 784\)/);
});
