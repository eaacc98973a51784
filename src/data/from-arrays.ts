// Data sets from plain JavaScript arrays. The trainer itself takes only
// Float32Array X and Y (validateDataset), so that nothing is reinterpreted as raw
// bytes; these helpers convert explicitly and check the shape on the way.
import { InputError } from '../errors.ts';
import type { Dataset } from '../types.ts';
import { toFloat32Data, validateDataset } from '../validate.ts';

export interface ArrayDataset {
  name?: string;
  n0: number;
  m: number;
  /** (n0, m) row-major, one example per column: Float32Array, Float64Array or number[]. */
  X: ArrayLike<number>;
  /** (1, m): labels 0 or 1. */
  Y: ArrayLike<number>;
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/**
 * A checked Dataset from X and Y in the notes' layout given as number[],
 * Float64Array or Float32Array: values are rounded to float32 (copied unless
 * already Float32Array), then every check of validateDataset applies.
 */
export function toDataset(data: ArrayDataset, argument = 'data'): Dataset {
  if (typeof data !== 'object' || data === null) throw new InputError(argument, 'an object { n0, m, X, Y }', data);
  const { n0, m } = data;
  if (!isPositiveInteger(n0)) throw new InputError(`${argument}.n0`, 'a positive integer', n0);
  if (!isPositiveInteger(m)) throw new InputError(`${argument}.m`, 'a positive integer', m);
  const X = toFloat32Data(`${argument}.X`, data.X, n0 * m);
  const Y = toFloat32Data(`${argument}.Y`, data.Y, m);
  return validateDataset({ name: data.name ?? 'arrays', n0, m, X, Y }, argument);
}

/**
 * A Dataset from one row per example, as a table or a CSV reads: rows[j] holds the
 * n0 features of example j, labels[j] its 0/1 label. Transposed into X (n0, m).
 * Every row must have the length of the first (ragged rows name the row).
 */
export function datasetFromRows(rows: readonly (readonly number[])[], labels: ArrayLike<number>, name = 'rows'): Dataset {
  if (!Array.isArray(rows)) throw new InputError('rows', 'an array of rows (one array of n0 numbers per example)', rows);
  const m = rows.length;
  if (m === 0) throw new InputError('rows', 'at least 1 row (m ≥ 1)', rows);
  if (!Array.isArray(rows[0])) throw new InputError('rows[0]', 'an array of numbers (the features of example 0)', rows[0]);
  const n0 = rows[0].length;
  if (n0 === 0) throw new InputError('rows[0]', 'at least 1 feature (n0 ≥ 1)', rows[0]);
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new InputError('labels', `an array of ${m} labels 0 or 1`, labels);
  }
  if (labels.length !== m) throw new InputError('labels', `length ${m} (one label per row)`, labels.length);
  // X is (n0, m): feature i of example j at X[i * m + j].
  const X = new Float32Array(n0 * m);
  rows.forEach((row, j) => {
    if (!Array.isArray(row)) throw new InputError(`rows[${j}]`, `an array of ${n0} numbers`, row);
    if (row.length !== n0) {
      throw new InputError(`rows[${j}]`, `${n0} features (as rows[0])`, row.length, 'ragged rows');
    }
    row.forEach((v, i) => {
      const x = Math.fround(v);
      if (typeof v !== 'number' || !Number.isFinite(x)) {
        throw new InputError(`rows[${j}][${i}]`, 'a finite float32 number', v);
      }
      X[i * m + j] = x;
    });
  });
  return toDataset({ name, n0, m, X, Y: Array.isArray(labels) ? labels : Array.from(labels) }, 'data');
}
