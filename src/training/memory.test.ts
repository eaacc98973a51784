// The memory estimate that refuses a network too large for the device before any GPU work.
import { expect, test } from '@playwright/test';
import { InputError } from '../errors.ts';
import { checkMemory, DEFAULT_MEMORY_BUDGET, estimateMemory } from './memory.ts';

const seed = { sizes: [2, 4, 1], m: 400, batchSize: 400, slots: 1, yRows: 1, penalty: false };

test('estimateMemory adds parameters × slots, gradients, three snapshots, data and activations', () => {
  const e = estimateMemory(seed);
  // 17 parameters; X and Y 3 × 400; activations 4 · (4 + 1) · 400 floats.
  expect(e.parts.map((p) => p.bytes)).toEqual([17 * 4, 17 * 4, 3 * 17 * 4, 3 * 400 * 4, 4 * 5 * 400 * 4]);
  expect(e.total).toBe(e.parts.reduce((s, p) => s + p.bytes, 0));
  const adam = estimateMemory({ ...seed, slots: 3, batchSize: 64, penalty: true });
  expect(adam.parts[0].bytes).toBe(17 * 3 * 4);
  expect(adam.parts.map((p) => p.name)).toEqual(expect.arrayContaining(['penalty weight mask', "a batch's X, Y and activations (64 examples)"]));
});

test('checkMemory passes the seed and MNIST networks and refuses --hidden 100000000 with the numbers and what fits', () => {
  const limits = { maxBufferSize: 2 ** 31 };
  expect(checkMemory(seed, limits).total).toBeLessThan(1e5);
  expect(() => checkMemory({ sizes: [784, 128, 10], m: 8000, batchSize: 128, slots: 3, yRows: 1, penalty: false }, limits)).not.toThrow();
  let error: unknown;
  try {
    checkMemory({ ...seed, sizes: [2, 100_000_000, 1] }, limits);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message).toBe(
    'sizes[1]: expected at most 662,801 units in layer 1 (--hidden/--layers), fewer examples, or a larger maxMemoryBytes, got 100000000 ' +
      '(it needs about 603.5 GiB of GPU memory and the budget is 4.0 GiB (maxMemoryBytes); largest parts: ' +
      'activations Z, A, dZ, dA of 400 examples 596.0 GiB, three snapshots of the parameters (divergence replay, checkpoints) 4.5 GiB, ' +
      'parameters and optimizer state (400,000,001 parameters × 1) 1.5 GiB)',
  );
  // The suggested width really fits, and one more unit does not.
  const w = Number(/at most ([\d,]+) units/.exec(message)![1].replace(/,/g, ''));
  expect(estimateMemory({ ...seed, sizes: [2, w, 1] }).total).toBeLessThanOrEqual(DEFAULT_MEMORY_BUDGET);
  expect(estimateMemory({ ...seed, sizes: [2, w + 1, 1] }).total).toBeGreaterThan(DEFAULT_MEMORY_BUDGET);
});

test('checkMemory refuses a parameter buffer past maxBufferSize even under the budget, naming the limit', () => {
  expect(() => checkMemory({ ...seed, sizes: [1000, 1000, 1] }, { maxBufferSize: 1_000_000 }, 2 ** 40)).toThrow(
    /its parameter buffer needs 0\.004 GiB and this device allows 0\.001 GiB per buffer \(maxBufferSize\)/,
  );
});
