import { test, expect } from '@playwright/test';
import { initParameters } from './init.ts';
import type { InitScheme } from '../types.ts';

const std = (xs: ArrayLike<number>): number => {
  const a = Array.from(xs);
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
};

test('initParameters shapes for sizes [3, 5, 1]: W1 (5,3), b1 (5), W2 (1,5), b2 (1); index 0 empty', () => {
  const p = initParameters([3, 5, 1], 'xavier', 1);
  expect(p.sizes).toEqual([3, 5, 1]);
  expect(p.W.map((w) => w.length)).toEqual([0, 15, 5]);
  expect(p.b.map((b) => b.length)).toEqual([0, 5, 1]);
  expect(p.b.every((b) => b.every((v) => Object.is(v, 0)))).toBe(true);
});

const scales: [InitScheme, number][] = [
  ['course', 0.01],
  ['xavier', Math.sqrt(1 / 400)],
  ['he', Math.sqrt(2 / 400)],
];
for (const [scheme, expected] of scales) {
  test(`${scheme} init: std of W1 (300, 400) is ${expected.toPrecision(3)} within 2%`, () => {
    const p = initParameters([400, 300, 1], scheme, 5);
    expect(Math.abs(std(p.W[1]) / expected - 1)).toBeLessThan(0.02);
    // W2 has fan-in 300, so the same rule gives a different scale for 'xavier' and 'he'.
    const expected2 = scheme === 'course' ? 0.01 : expected * Math.sqrt(400 / 300);
    expect(Math.abs(std(p.W[2]) / expected2 - 1)).toBeLessThan(0.25); // only 300 samples
  });
}

test('init values are float32 numbers (Math.fround is the identity on each) for every scheme', () => {
  for (const scheme of ['course', 'xavier', 'he'] as InitScheme[]) {
    const p = initParameters([4, 6, 1], scheme, 9);
    for (const w of p.W) for (const v of w) expect(Math.fround(v)).toBe(v);
  }
});

test('init is reproducible: seed 1 twice gives identical W; seed 2 differs', () => {
  const a = initParameters([2, 4, 1], 'course', 1);
  const b = initParameters([2, 4, 1], 'course', 1);
  const c = initParameters([2, 4, 1], 'course', 2);
  expect(Array.from(a.W[1])).toEqual(Array.from(b.W[1]));
  expect(Array.from(a.W[2])).toEqual(Array.from(b.W[2]));
  expect(Array.from(a.W[1])).not.toEqual(Array.from(c.W[1]));
});

test("'zeros' init gives exact +0 everywhere for sizes [3, 4, 3, 1]", () => {
  const p = initParameters([3, 4, 3, 1], 'zeros', 1);
  for (let l = 1; l <= 3; l++) {
    expect(p.W[l].every((v) => Object.is(v, 0))).toBe(true);
    expect(p.b[l].every((v) => Object.is(v, 0))).toBe(true);
  }
});

test('initParameters rejects bad sizes, scheme and seed, naming the argument', () => {
  expect(() => initParameters([2], 'course', 1)).toThrow(/^sizes: expected/);
  expect(() => initParameters([2, 0, 1], 'course', 1)).toThrow(/sizes\[1\]/);
  expect(() => initParameters([2, 4, 1], 'gaussian' as InitScheme, 1)).toThrow(/init: expected one of/);
  expect(() => initParameters([2, 4, 1], 'course', 0.5)).toThrow(/seed/);
});
