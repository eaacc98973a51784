import { test, expect } from '@playwright/test';
import { datasetFromRows, toDataset } from './from-arrays.ts';
import { InputError } from '../errors.ts';

const inputError = (fn: () => unknown, argument: string): InputError => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).argument).toBe(argument);
  return error as InputError;
};

test('toDataset converts number[] and Float64Array X, Y (n0=2, m=3) to float32 copies, explicitly rounded', () => {
  const d = toDataset({ n0: 2, m: 3, X: [0.1, 2, 3, 4, 5, 6], Y: new Float64Array([0, 1, 1]) });
  expect(d.X).toBeInstanceOf(Float32Array);
  expect(d.Y).toBeInstanceOf(Float32Array);
  expect(d.X[0]).toBe(Math.fround(0.1));
  expect(Array.from(d.Y)).toEqual([0, 1, 1]);
  expect(d.name).toBe('arrays');
});

test('toDataset rejects bytes (Uint8Array), m 0, n0 2.5, wrong lengths, NaN and labels not 0/1, naming the argument', () => {
  inputError(() => toDataset({ n0: 2, m: 3, X: new Uint8Array(6), Y: [0, 1, 1] }), 'data.X');
  inputError(() => toDataset({ n0: 2, m: 0, X: [], Y: [] }), 'data.m');
  inputError(() => toDataset({ n0: 2.5, m: 2, X: [1, 2, 3, 4, 5], Y: [0, 1] }), 'data.n0');
  expect(inputError(() => toDataset({ n0: 2, m: 3, X: [1, 2, 3, 4, 5], Y: [0, 1, 1] }), 'data.X').message).toBe('data.X: expected length 6, got 5');
  inputError(() => toDataset({ n0: 1, m: 3, X: [1, Number.NaN, 3], Y: [0, 1, 1] }), 'data.X[1]');
  inputError(() => toDataset({ n0: 1, m: 3, X: [1, 2, 3], Y: [0, 1, -1] }), 'data.Y[2]');
});

test('datasetFromRows transposes 3 rows of 2 features into X (2, 3), one example per column', () => {
  const d = datasetFromRows([[1, 2], [3, 4], [5, 6]], [0, 1, 1], 'table');
  expect(d).toMatchObject({ name: 'table', n0: 2, m: 3 });
  expect(Array.from(d.X)).toEqual([1, 3, 5, 2, 4, 6]);
  expect(Array.from(d.Y)).toEqual([0, 1, 1]);
});

test('datasetFromRows rejects ragged rows, no rows, empty rows, a missing label, NaN and a non-array row, naming the row', () => {
  expect(inputError(() => datasetFromRows([[1, 2], [3, 4, 5]], [0, 1]), 'rows[1]').message).toBe(
    'rows[1]: expected 2 features (as rows[0]), got 3 (ragged rows)',
  );
  inputError(() => datasetFromRows([], []), 'rows');
  inputError(() => datasetFromRows([[]], [0]), 'rows[0]');
  expect(inputError(() => datasetFromRows([[1], [2]], [0]), 'labels').message).toBe('labels: expected length 2 (one label per row), got 1');
  inputError(() => datasetFromRows([[1, 2], [3, Number.NaN]], [0, 1]), 'rows[1][1]');
  inputError(() => datasetFromRows([[1, 2], '3,4' as unknown as number[]], [0, 1]), 'rows[1]');
  inputError(() => datasetFromRows([[1], [2]], [0, 2]), 'data.Y[1]');
});
