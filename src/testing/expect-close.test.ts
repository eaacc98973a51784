import { test, expect } from '@playwright/test';
import { expectClose, maxAbsDiff } from './expect-close.ts';

test('expectClose passes when every |a − e| ≤ atol + rtol·|e| (length 4)', () => {
  expect(() =>
    expectClose([1.0001, 100.05, 0, Number.NaN], [1, 100, 1e-9, Number.NaN], { atol: 1e-3, rtol: 1e-3, name: 'x' }),
  ).not.toThrow();
});

test('expectClose failure message names the array, the mismatch count, the largest difference and the first 5 indices', () => {
  const expected = Array.from({ length: 10 }, (_, i) => i);
  const actual = expected.map((v, i) => (i >= 2 ? v + 0.1 * i : v));
  let message = '';
  try {
    expectClose(actual, expected, { atol: 1e-6, rtol: 0, name: 'dW1 (2, 5)' });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/^dW1 \(2, 5\): 8 of 10 entries differ/);
  expect(message).toMatch(/largest difference 0\.9\d* at \[9\]/);
  expect(message).toMatch(/first: \[2\] actual 2\.2 expected 2; \[3\].*\[6\] actual 6\.6\d* expected 6$/);
  expect(message).not.toMatch(/\[7\] actual/);
});

test('expectClose throws on different lengths (3 vs 4) and on non-finite mismatches (NaN vs 1, ∞ vs −∞)', () => {
  const opts = { atol: 1, rtol: 1, name: 'v' };
  expect(() => expectClose([1, 2, 3], [1, 2, 3, 4], opts)).toThrow(/v: length 3, expected 4/);
  expect(() => expectClose([Number.NaN], [1], opts)).toThrow(/v: 1 of 1 entries differ/);
  expect(() => expectClose([Infinity], [-Infinity], opts)).toThrow(/largest difference Infinity/);
  expect(() => expectClose([Infinity], [Infinity], opts)).not.toThrow();
});

test('expectClose uses the relative part: 1000.5 vs 1000 passes with rtol 1e-3, fails with rtol 1e-4', () => {
  expect(() => expectClose([1000.5], [1000], { atol: 0, rtol: 1e-3, name: 'r' })).not.toThrow();
  expect(() => expectClose([1000.5], [1000], { atol: 0, rtol: 1e-4, name: 'r' })).toThrow(/r: 1 of 1/);
});

test('maxAbsDiff gives the largest |a − b| (0.5 of three entries), Infinity for NaN vs number', () => {
  expect(maxAbsDiff([1, 2, 3], [1.25, 2.5, 3])).toBe(0.5);
  expect(maxAbsDiff([Number.NaN], [0])).toBe(Infinity);
  expect(() => maxAbsDiff([1], [1, 2])).toThrow(/lengths differ/);
});
