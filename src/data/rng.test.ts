import { test, expect } from '@playwright/test';
import { createRng, linspace } from './rng.ts';

const draw = (seed: number, count: number, kind: 'uniform' | 'normal'): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng[kind]());
};

const meanStd = (xs: number[]): { mean: number; std: number } => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
};

test('createRng: the same seed gives the same 1000 uniforms and normals', () => {
  expect(draw(42, 1000, 'uniform')).toEqual(draw(42, 1000, 'uniform'));
  expect(draw(42, 1000, 'normal')).toEqual(draw(42, 1000, 'normal'));
});

test('createRng: seeds 1, 2, 0, -1 and 2^32-1 give different streams', () => {
  const firsts = [1, 2, 0, -1, 2 ** 32 - 1].map((s) => draw(s, 4, 'uniform').join(','));
  expect(new Set(firsts).size).toBe(firsts.length);
});

test('uniform: 100000 draws lie in [0, 1) with mean 0.5 ± 0.01 and std 1/sqrt(12) ± 0.01', () => {
  const xs = draw(7, 100_000, 'uniform');
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  const { mean, std } = meanStd(xs);
  expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  expect(Math.abs(std - 1 / Math.sqrt(12))).toBeLessThan(0.01);
});

test('normal: 100000 draws are finite with mean 0 ± 0.02, std 1 ± 0.02 and ~68% within one std', () => {
  const xs = draw(3, 100_000, 'normal');
  expect(xs.every(Number.isFinite)).toBe(true);
  const { mean, std } = meanStd(xs);
  expect(Math.abs(mean)).toBeLessThan(0.02);
  expect(Math.abs(std - 1)).toBeLessThan(0.02);
  const within = xs.filter((x) => Math.abs(x) < 1).length / xs.length;
  expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
});

test('createRng rejects a non-integer seed, naming "seed"', () => {
  expect(() => createRng(1.5)).toThrow(/seed: expected an integer, got 1.5/);
  expect(() => createRng(Number.NaN)).toThrow(/seed/);
});

test('linspace(0, 3.12, 5) matches numpy: endpoints included, even steps; n = 1 gives the start', () => {
  expect(linspace(0, 3.12, 5)).toEqual([0, 0.78, 1.56, 2.34, 3.12]);
  expect(linspace(2, 5, 1)).toEqual([2]);
  expect(linspace(2, 5, 0)).toEqual([]);
});
