import { test, expect } from '@playwright/test';
import { g, gPrime, sigmoid } from './activations.ts';
import { ACTIVATIONS, LEAKY_RELU_SLOPE } from '../types.ts';

test('sigmoid: σ(0) = 0.5, σ(±1000) is exactly 1 / 0 without NaN, and σ(−z) = 1 − σ(z)', () => {
  expect(sigmoid(0)).toBe(0.5);
  expect(sigmoid(1000)).toBe(1);
  expect(sigmoid(-1000)).toBe(0);
  expect(sigmoid(-800)).toBeGreaterThanOrEqual(0);
  for (const z of [0.1, 1, 3.5, 20]) expect(Math.abs(sigmoid(-z) - (1 - sigmoid(z)))).toBeLessThan(1e-15);
  expect(Math.abs(sigmoid(2) - 1 / (1 + Math.exp(-2)))).toBeLessThan(1e-16);
});

test('g matches its definition: tanh, relu max(0,z), leaky-relu slope·z for z < 0, sigmoid', () => {
  expect(g('tanh', 0.7)).toBe(Math.tanh(0.7));
  expect([g('relu', -2), g('relu', 0), g('relu', 3)]).toEqual([0, 0, 3]);
  expect([g('leaky-relu', -2), g('leaky-relu', 3)]).toEqual([-2 * LEAKY_RELU_SLOPE, 3]);
  expect(g('sigmoid', 0.3)).toBe(sigmoid(0.3));
});

for (const activation of ACTIVATIONS) {
  test(`gPrime('${activation}') matches the central difference of g at 9 points away from 0 (atol 1e-8)`, () => {
    const h = 1e-6;
    for (const z of [-5, -2, -0.7, -0.1, 0.05, 0.3, 1, 2.5, 6]) {
      const numeric = (g(activation, z + h) - g(activation, z - h)) / (2 * h);
      expect(Math.abs(gPrime(activation, z) - numeric)).toBeLessThan(1e-8);
    }
  });
}

test("derivatives at z = 0: relu' = 0, leaky-relu' = slope, tanh' = 1, sigmoid' = 1/4", () => {
  expect(gPrime('relu', 0)).toBe(0);
  expect(gPrime('leaky-relu', 0)).toBe(LEAKY_RELU_SLOPE);
  expect(gPrime('tanh', 0)).toBe(1);
  expect(gPrime('sigmoid', 0)).toBe(0.25);
});
