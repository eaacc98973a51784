import { expect, test } from '@playwright/test';
import { flopsPerStep } from './flops.ts';

test('flopsPerStep counts the matmuls of [2, 4, 1] at m = 400 by hand', () => {
  const m = 400;
  const forward = 2 * 4 * 2 * m + 2 * 4 * m + (2 * 1 * 4 * m + 2 * 1 * m);
  const dW = 2 * 4 * 2 * m + 2 * 1 * 4 * m;
  const db = 4 * m + 1 * m;
  const back = 2 * 1 * 4 * m + 2 * 4 * m;
  const update = 2 * (4 * 2 + 4) + 2 * (1 * 4 + 1);
  expect(flopsPerStep([2, 4, 1], m)).toBe(forward + dW + db + back + update + m);
});

test('flopsPerStep grows linearly in m (plus the update) and is dominated by 4·n1·n0·m for a wide first layer', () => {
  const update = 2 * (128 * 784 + 128) + 2 * (128 + 1);
  expect(flopsPerStep([784, 128, 1], 20_000) - update).toBe(2 * (flopsPerStep([784, 128, 1], 10_000) - update));
  const f = flopsPerStep([784, 128, 1], 10_000);
  expect(f / (4 * 784 * 128 * 10_000)).toBeGreaterThan(1);
  expect(f / (4 * 784 * 128 * 10_000)).toBeLessThan(1.05);
});
