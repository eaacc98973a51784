// Checks the trainer runs before any GPU work (style point 9): every bad shape,
// number or option fails here with an InputError naming the argument, what was
// expected and what came. Each validator returns the value, typed, so callers can
// write `const sizes = validateSizes(opts.sizes)`.
import { InputError } from './errors.ts';
import {
  ACTIVATIONS,
  INIT_SCHEMES,
  type Activation,
  type Dataset,
  type InitScheme,
  type Parameters,
} from './types.ts';

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** Layer sizes [n0, n1, ..., nL]: at least two positive integers, nL = 1. */
export function validateSizes(sizes: unknown, argument = 'sizes'): number[] {
  const expected = 'an array of at least 2 positive integers [n0, n1, ..., nL]';
  if (!Array.isArray(sizes)) throw new InputError(argument, expected, sizes);
  if (sizes.length < 2) throw new InputError(argument, expected, sizes, `only ${sizes.length} entries`);
  sizes.forEach((n, i) => {
    if (!isPositiveInteger(n)) throw new InputError(`${argument}[${i}]`, 'a positive integer', n);
  });
  // One GPU buffer holds every parameter (W[l] and b[l] of all layers). No WebGPU
  // device allows a storage binding of 4 GiB (2^30 float32) or more, so a larger
  // network can never run; refusing here also avoids building gigabytes of
  // initial weights in JavaScript first. What a given device allows is checked
  // against its limits by chunkSize (src/network/chunks.ts), which splits data
  // that is too large into chunks of examples rather than refusing it.
  const count = parameterCount(sizes);
  if (count > MAX_PARAMETERS) {
    const widest = sizes.indexOf(Math.max(...sizes));
    throw new InputError(
      `${argument}[${widest}]`,
      `layer sizes whose parameters fit one GPU buffer (at most 2^30 float32 numbers, 4 GiB)`,
      sizes[widest],
      `sizes [${sizes.join(', ')}] have ${count} parameters`,
    );
  }
  const nL = sizes[sizes.length - 1];
  // The output layer is one sigmoid unit; dZ[L] = A[L] − Y and the cost assume it.
  if (nL !== 1) {
    throw new InputError(`${argument}[${sizes.length - 1}]`, 'output layer n_L = 1 (binary classification)', nL);
  }
  return sizes.slice();
}

/** Above this many parameters no WebGPU device can hold them in one storage binding. */
export const MAX_PARAMETERS = 2 ** 30;

/** Σ_l n_l · (n_{l-1} + 1): the entries of every W[l] and b[l]. */
export function parameterCount(sizes: readonly number[]): number {
  let count = 0;
  for (let l = 1; l < sizes.length; l++) count += sizes[l] * (sizes[l - 1] + 1);
  return count;
}

export function validateActivation(activation: unknown, argument = 'activation'): Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(activation)) {
    throw new InputError(argument, `one of ${ACTIVATIONS.join(', ')}`, activation);
  }
  return activation as Activation;
}

export function validateInit(init: unknown, argument = 'init'): InitScheme {
  if (!(INIT_SCHEMES as readonly unknown[]).includes(init)) {
    throw new InputError(argument, `one of ${INIT_SCHEMES.join(', ')}`, init);
  }
  return init as InitScheme;
}

export function validateLearningRate(learningRate: unknown, argument = 'learningRate'): number {
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
    throw new InputError(argument, 'a finite number > 0', learningRate);
  }
  return learningRate;
}

export function validateSteps(steps: unknown, argument = 'steps'): number {
  if (!isPositiveInteger(steps) || !Number.isSafeInteger(steps)) {
    throw new InputError(argument, 'a positive integer', steps);
  }
  return steps;
}

export function validateSeed(seed: unknown, argument = 'seed'): number {
  if (!Number.isSafeInteger(seed)) throw new InputError(argument, 'an integer', seed);
  return seed as number;
}

/**
 * The numbers a GPU buffer will hold, as a Float32Array of exactly expectedLength.
 * A Float32Array is used as is (no copy); number[] and Float64Array are rounded to
 * float32 explicitly. Other typed arrays and buffers are refused: a Uint8Array of
 * pixels or an ArrayBuffer of bytes would "work" and train on garbage.
 */
export function toFloat32Data(argument: string, values: unknown, expectedLength: number): Float32Array {
  let out: Float32Array;
  if (values instanceof Float32Array) {
    out = values;
  } else if (values instanceof Float64Array) {
    out = new Float32Array(values);
  } else if (Array.isArray(values)) {
    const i = values.findIndex((v) => typeof v !== 'number');
    if (i >= 0) {
      throw new InputError(`${argument}[${i}]`, 'a number (a flat array of numbers)', values[i]);
    }
    out = new Float32Array(values as number[]);
  } else {
    throw new InputError(argument, 'a Float32Array, Float64Array or number[]', values);
  }
  if (out.length !== expectedLength) {
    throw new InputError(argument, `length ${expectedLength}`, out.length);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      // A finite float64 that became ±Infinity overflowed float32 (|v| > 3.4e38).
      const original = (values as ArrayLike<number>)[i];
      const detail = Number.isFinite(original) ? 'outside the float32 range' : '';
      throw new InputError(`${argument}[${i}]`, 'a finite number', original, detail);
    }
  }
  return out;
}

/**
 * A data set the network can train on: n0 and m positive integers, X (n0, m) and
 * Y (1, m) Float32Arrays of the right lengths, X finite, labels exactly 0 or 1.
 * When n0 is given it must match the network's input size. X and Y must already be
 * Float32Array (no silent conversion) so that a caller who ignores the return
 * value and uploads data.X still uploads what was checked.
 */
export function validateDataset(data: unknown, argument = 'data', n0?: number): Dataset {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(argument, 'a data set { name, n0, m, X, Y }', data);
  }
  const d = data as Partial<Dataset>;
  if (!isPositiveInteger(d.n0)) throw new InputError(`${argument}.n0`, 'a positive integer', d.n0);
  if (!isPositiveInteger(d.m)) throw new InputError(`${argument}.m`, 'a positive integer', d.m);
  if (n0 !== undefined && d.n0 !== n0) {
    throw new InputError(`${argument}.n0`, `${n0} (the network's input size n0)`, d.n0);
  }
  for (const key of ['X', 'Y'] as const) {
    if (!(d[key] instanceof Float32Array)) {
      const hint = 'a Float32Array (toDataset in src/data/from-arrays.ts converts number[] and Float64Array)';
      throw new InputError(`${argument}.${key}`, hint, d[key]);
    }
  }
  // X is (n0, m): one example per column.
  const X = toFloat32Data(`${argument}.X`, d.X, d.n0 * d.m);
  // Y is (1, m).
  const Y = toFloat32Data(`${argument}.Y`, d.Y, d.m);
  for (let j = 0; j < Y.length; j++) {
    if (Y[j] !== 0 && Y[j] !== 1) throw new InputError(`${argument}.Y[${j}]`, 'a label 0 or 1', Y[j]);
  }
  return data as Dataset;
}

/** Parameters shaped for sizes: W[l] (n_l, n_{l-1}), b[l] (n_l), finite values. */
export function validateParameters(params: unknown, sizes: number[], argument = 'parameters'): Parameters {
  if (typeof params !== 'object' || params === null) {
    throw new InputError(argument, 'parameters { sizes, W, b }', params);
  }
  const p = params as Partial<Parameters>;
  const L = sizes.length - 1;
  if (!Array.isArray(p.sizes) || p.sizes.length !== sizes.length || p.sizes.some((n, i) => n !== sizes[i])) {
    throw new InputError(`${argument}.sizes`, `[${sizes.join(', ')}]`, p.sizes, Array.isArray(p.sizes) ? `[${p.sizes.join(', ')}]` : '');
  }
  for (const key of ['W', 'b'] as const) {
    const arr = p[key];
    if (!Array.isArray(arr) || arr.length !== L + 1) {
      throw new InputError(`${argument}.${key}`, `an array of L + 1 = ${L + 1} entries (index 0 unused)`, arr);
    }
  }
  for (let l = 1; l <= L; l++) {
    const checks: [string, unknown, number][] = [
      [`${argument}.W[${l}]`, p.W![l], sizes[l] * sizes[l - 1]], // W[l] is (n_l, n_{l-1})
      [`${argument}.b[${l}]`, p.b![l], sizes[l]], // b[l] is (n_l, 1)
    ];
    for (const [name, values, length] of checks) {
      if (!(values instanceof Float64Array)) throw new InputError(name, `a Float64Array of length ${length}`, values);
      if (values.length !== length) throw new InputError(name, `length ${length}`, values.length);
      const i = values.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) throw new InputError(`${name}[${i}]`, 'a finite number', values[i]);
    }
  }
  return p as Parameters;
}
