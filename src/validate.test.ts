import { test, expect } from '@playwright/test';
import {
  validateBatchSize,
  validateHead,
  validateHidden,
  validateL2,
  validateOptimizer,
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

test('validateSizes accepts [2, 4, 1], [3, 4, 3, 1] and [2, 4, 3]; rejects non-arrays, [2], 0 and 2.5, naming sizes', () => {
  expect(validateSizes([2, 4, 1])).toEqual([2, 4, 1]);
  expect(validateSizes([3, 4, 3, 1])).toEqual([3, 4, 3, 1]);
  expect(validateSizes([2, 4, 3])).toEqual([2, 4, 3]);
  inputError(() => validateSizes('2,4,1'), 'sizes');
  inputError(() => validateSizes([2]), 'sizes');
  inputError(() => validateSizes([2, 0, 1]), 'sizes[1]');
  inputError(() => validateSizes([2.5, 4, 1]), 'sizes[0]');
});

test('validateHead: softmax needs K ≥ 2 outputs; unknown heads list the choices', () => {
  expect(validateHead('softmax', [2, 4, 3])).toBe('softmax');
  expect(validateHead('linear', [2, 4, 1])).toBe('linear');
  const e = inputError(() => validateHead('softmax', [2, 4, 1]), 'sizes[2]');
  expect(e.message).toBe('sizes[2]: expected K ≥ 2 output units (classes) for the softmax head, got 1');
  expect(inputError(() => validateHead('tanh', [2, 1]), 'head').message).toContain('one of sigmoid, softmax, linear');
});

test('validateHidden: one activation for all hidden layers or one each; the wrong count names how many are needed', () => {
  expect(validateHidden('relu', [2, 5, 4, 1])).toEqual(['relu', 'relu']);
  expect(validateHidden(['relu', 'tanh'], [2, 5, 4, 1])).toEqual(['relu', 'tanh']);
  expect(validateHidden('relu', [2, 1])).toEqual([]);
  const e = inputError(() => validateHidden(['relu'], [2, 5, 4, 1]), 'activation');
  expect(e.message).toContain('a list of L − 1 = 2');
  inputError(() => validateHidden(['relu', 'swish'], [2, 5, 4, 1]), 'activation[1]');
});

test('validateOptimizer: names and objects with defaults; betas outside [0, 1) and ε ≤ 0 are refused by name', () => {
  expect(validateOptimizer('adam')).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  expect(validateOptimizer({ kind: 'momentum', beta1: 0 })).toEqual({ kind: 'momentum', beta1: 0, beta2: 0.999, epsilon: 1e-8 });
  inputError(() => validateOptimizer('rmsprop'), 'optimizer.kind');
  inputError(() => validateOptimizer({ kind: 'adam', beta1: 1 }), 'optimizer.beta1');
  inputError(() => validateOptimizer({ kind: 'adam', beta2: -0.1 }), 'optimizer.beta2');
  inputError(() => validateOptimizer({ kind: 'adam', epsilon: 0 }), 'optimizer.epsilon');
  inputError(() => validateOptimizer(null), 'optimizer');
});

test('validateL2 and validateBatchSize: λ ≥ 0 finite; B a positive integer, B ≥ m is the full batch', () => {
  expect(validateL2(0)).toBe(0);
  inputError(() => validateL2(-1e-3), 'l2');
  inputError(() => validateL2(NaN), 'l2');
  expect(validateBatchSize(64, 400)).toBe(64);
  expect(validateBatchSize(1000, 400)).toBe(400);
  inputError(() => validateBatchSize(0, 400), 'batchSize');
  inputError(() => validateBatchSize(2.5, 400), 'batchSize');
});

test('validateDataset checks targets by head: class ids are integers in [0, K), regression targets finite, Y rows per head', () => {
  const data = (Y: number[]) => ({ name: 't', n0: 1, m: 3, X: new Float32Array(3), Y: Float32Array.from(Y) });
  const softmax = { sizes: [1, 4, 3], head: 'softmax' as const };
  validateDataset(data([0, 2, 1]), 'data', 1, softmax);
  expect(inputError(() => validateDataset(data([0, 3, 1]), 'data', 1, softmax), 'data.Y[1]').message).toContain('an integer 0 … 2');
  inputError(() => validateDataset(data([0, 1.5, 1]), 'data', 1, softmax), 'data.Y[1]');
  inputError(() => validateDataset(data([0, -1, 1]), 'data', 1, softmax), 'data.Y[1]');
  const linear = { sizes: [1, 4, 1], head: 'linear' as const };
  validateDataset(data([0.5, -7, 1e3]), 'data', 1, linear);
  inputError(() => validateDataset(data([0.5, Infinity, 1]), 'data', 1, linear), 'data.Y[1]');
  // Two independent sigmoid outputs: Y is (2, m).
  inputError(() => validateDataset(data([0, 1, 1]), 'data', 1, { sizes: [1, 4, 2], head: 'sigmoid' }), 'data.Y');
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

