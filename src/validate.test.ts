import { test, expect } from '@playwright/test';
import {
  toFloat32Data,
  validateActivation,
  validateDataset,
  validateInit,
  validateLearningRate,
  validateParameters,
  validateSeed,
  validateSizes,
  validateSteps,
  parameterCount,
  MAX_PARAMETERS,
} from './validate.ts';
import { InputError } from './errors.ts';
import { initParameters } from './model/init.ts';

/** The InputError fn throws; its message must start with the argument's name. */
const inputError = (fn: () => unknown, argument: string): InputError => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  const e = error as InputError;
  expect(e.argument).toBe(argument);
  expect(e.message.startsWith(`${argument}: expected `)).toBe(true);
  return e;
};

test('validateSizes accepts [2, 4, 1] and [3, 4, 3, 1]; rejects non-arrays, [2], 0, 2.5 and n_L = 2, naming sizes', () => {
  expect(validateSizes([2, 4, 1])).toEqual([2, 4, 1]);
  expect(validateSizes([3, 4, 3, 1])).toEqual([3, 4, 3, 1]);
  inputError(() => validateSizes('2,4,1'), 'sizes');
  inputError(() => validateSizes([2]), 'sizes');
  inputError(() => validateSizes([2, 0, 1]), 'sizes[1]');
  inputError(() => validateSizes([2.5, 4, 1]), 'sizes[0]');
  const e = inputError(() => validateSizes([2, 4, 2], 'layers'), 'layers[2]');
  expect(e.message).toBe('layers[2]: expected output layer n_L = 1 (binary classification), got 2');
});

test('validateActivation and validateInit accept the known names and reject others, listing the choices', () => {
  expect(validateActivation('leaky-relu')).toBe('leaky-relu');
  expect(validateInit('he')).toBe('he');
  expect(inputError(() => validateActivation('Tanh'), 'activation').message).toMatch(/one of tanh, relu, leaky-relu, sigmoid/);
  expect(inputError(() => validateInit(undefined), 'init').message).toMatch(/one of course, xavier, he, zeros, got undefined/);
});

test('validateLearningRate rejects 0, −1, NaN, Infinity and "0.1"; accepts 1.2', () => {
  expect(validateLearningRate(1.2)).toBe(1.2);
  for (const v of [0, -1, Number.NaN, Infinity, '0.1']) inputError(() => validateLearningRate(v), 'learningRate');
});

test('validateSteps rejects 0, 1.5, −3 and NaN, using the given argument name', () => {
  expect(validateSteps(10_000)).toBe(10_000);
  for (const v of [0, 1.5, -3, Number.NaN]) inputError(() => validateSteps(v), 'steps');
  inputError(() => validateSteps(0, 'logEvery'), 'logEvery');
});

test('validateSeed accepts 0 and −7, rejects 0.5 and "1"', () => {
  expect(validateSeed(0)).toBe(0);
  expect(validateSeed(-7)).toBe(-7);
  inputError(() => validateSeed(0.5), 'seed');
  inputError(() => validateSeed('1'), 'seed');
});

test('toFloat32Data returns a Float32Array as is and converts number[] and Float64Array of length 3', () => {
  const f32 = new Float32Array([1, 2, 3]);
  expect(toFloat32Data('X', f32, 3)).toBe(f32);
  const fromArray = toFloat32Data('X', [0.1, 2, 3], 3);
  expect(fromArray).toBeInstanceOf(Float32Array);
  expect(fromArray[0]).toBe(Math.fround(0.1));
  expect(Array.from(toFloat32Data('X', new Float64Array([4, 5, 6]), 3))).toEqual([4, 5, 6]);
});

test('toFloat32Data rejects Uint8Array, ArrayBuffer, a string and nested arrays, naming the argument', () => {
  inputError(() => toFloat32Data('X', new Uint8Array(3), 3), 'X');
  inputError(() => toFloat32Data('X', new ArrayBuffer(12), 3), 'X');
  inputError(() => toFloat32Data('X', '1,2,3', 3), 'X');
  inputError(() => toFloat32Data('X', [[1, 2, 3]], 3), 'X[0]');
});

test('toFloat32Data rejects length 4 where 6 is expected, and names the first NaN / Infinity / float32 overflow', () => {
  expect(inputError(() => toFloat32Data('Y', [1, 2, 3, 4], 6), 'Y').message).toBe('Y: expected length 6, got 4');
  inputError(() => toFloat32Data('X', [1, Number.NaN, Number.NaN], 3), 'X[1]');
  inputError(() => toFloat32Data('X', new Float32Array([1, 2, -Infinity]), 3), 'X[2]');
  const e = inputError(() => toFloat32Data('X', [1e39, 0, 0], 3), 'X[0]');
  expect(e.message).toMatch(/outside the float32 range/);
});

const dataset = () => ({
  name: 'd',
  n0: 2,
  m: 3,
  X: new Float32Array([1, 2, 3, 4, 5, 6]),
  Y: new Float32Array([0, 1, 1]),
});

test('validateDataset accepts a (2, 3) data set as is; rejects number[] X, Float64Array Y and a different n0', () => {
  const d = dataset();
  expect(validateDataset(d)).toBe(d);
  inputError(() => validateDataset({ ...d, X: [1, 2, 3, 4, 5, 6] }), 'data.X');
  inputError(() => validateDataset({ ...d, Y: new Float64Array([0, 1, 1]) }), 'data.Y');
  inputError(() => validateDataset(d, 'data', 3), 'data.n0');
});

test('validateDataset names the bad field: n0 0, m 1.5, X length, X NaN index, label 0.5 index', () => {
  inputError(() => validateDataset(null), 'data');
  inputError(() => validateDataset({ ...dataset(), n0: 0 }), 'data.n0');
  inputError(() => validateDataset({ ...dataset(), m: 1.5 }, 'train'), 'train.m');
  inputError(() => validateDataset({ ...dataset(), X: new Float32Array(5) }), 'data.X');
  inputError(() => validateDataset({ ...dataset(), X: new Float32Array([1, 2, 3, 4, Number.NaN, 6]) }), 'data.X[4]');
  inputError(() => validateDataset({ ...dataset(), Y: new Float32Array([0, 0.5, 1]) }), 'data.Y[1]');
  inputError(() => validateDataset({ ...dataset(), Y: new Float32Array([0, 1]) }), 'data.Y');
});

test('validateParameters accepts init output for [2, 4, 1]; names wrong sizes, W length and a NaN entry', () => {
  const p = initParameters([2, 4, 1], 'course', 1);
  expect(validateParameters(p, [2, 4, 1])).toBe(p);
  inputError(() => validateParameters(p, [2, 5, 1]), 'parameters.sizes');
  inputError(() => validateParameters(undefined, [2, 4, 1], 'init'), 'init');
  const short = { ...p, W: [p.W[0], p.W[1].slice(1), p.W[2]] };
  inputError(() => validateParameters(short, [2, 4, 1]), 'parameters.W[1]');
  const missing = { ...p, b: [p.b[0], p.b[1]] };
  inputError(() => validateParameters(missing, [2, 4, 1]), 'parameters.b');
  const nan = { ...p, b: [p.b[0], p.b[1], Float64Array.from([Number.NaN])] };
  inputError(() => validateParameters(nan, [2, 4, 1]), 'parameters.b[2][0]');
});

test('validateSizes rejects 10^9 hidden units (4·10^9 parameters, more than any storage binding) before anything is allocated', () => {
  const e = inputError(() => validateSizes([2, 1e9, 1]), 'sizes[1]');
  expect(e.message).toMatch(/at most 2\^30 float32 numbers.*got 1000000000 \(sizes \[2, 1000000000, 1\] have 4000000001 parameters\)$/);
  expect(parameterCount([2, 4, 1])).toBe(4 * 3 + 1 * 5);
  expect(validateSizes([2, 2 ** 20, 1])).toEqual([2, 2 ** 20, 1]);
  expect(MAX_PARAMETERS).toBe(2 ** 30);
});

