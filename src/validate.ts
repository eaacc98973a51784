// Checks the trainer runs before any GPU work (style point 9): every bad shape,
// number or option fails here with an InputError naming the argument, what was
// expected and what came. Each validator returns the value, typed, so callers can
// write `const sizes = validateSizes(opts.sizes)`.
import { InputError } from './errors.ts';
import {
  ACTIVATIONS,
  HEADS,
  INIT_SCHEMES,
  OPTIMIZERS,
  labelRows,
  optimizerSlots,
  type Activation,
  type Dataset,
  type Head,
  type InitScheme,
  type Optimizer,
  type OptimizerState,
  type Parameters,
} from './types.ts';

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** Layer sizes [n0, n1, ..., nL]: at least two positive integers (the head checks nL: validateHead). */
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

/** The head, and the output size it needs: softmax over K = n_L ≥ 2 classes. */
export function validateHead(head: unknown, sizes: number[], argument = 'head'): Head {
  if (!(HEADS as readonly unknown[]).includes(head)) throw new InputError(argument, `one of ${HEADS.join(', ')}`, head);
  const L = sizes.length - 1;
  if (head === 'softmax' && sizes[L] < 2) {
    throw new InputError(`sizes[${L}]`, 'K ≥ 2 output units (classes) for the softmax head', sizes[L]);
  }
  return head as Head;
}

/** One activation for every hidden layer, or a list of one per hidden layer (L − 1 of them). */
export function validateHidden(activation: unknown, sizes: number[], argument = 'activation'): Activation[] {
  const L = sizes.length - 1;
  if (!Array.isArray(activation)) return new Array<Activation>(L - 1).fill(validateActivation(activation, argument));
  if (activation.length !== L - 1) {
    throw new InputError(argument, `one activation, or a list of L − 1 = ${L - 1} (one per hidden layer of sizes [${sizes.join(', ')}])`, activation, `${activation.length} given`);
  }
  return activation.map((a, i) => validateActivation(a, `${argument}[${i}]`));
}

const inUnitInterval = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v < 1;

/** 'sgd', 'momentum' or 'adam', or { kind, beta1, beta2, epsilon }: betas in [0, 1), ε > 0. */
export function validateOptimizer(optimizer: unknown, argument = 'optimizer'): Optimizer {
  const o = (typeof optimizer === 'string' ? { kind: optimizer } : optimizer) as Partial<Optimizer> | null;
  if (typeof o !== 'object' || o === null) throw new InputError(argument, `one of ${OPTIMIZERS.join(', ')} or { kind, beta1, beta2, epsilon }`, optimizer);
  if (!(OPTIMIZERS as readonly unknown[]).includes(o.kind)) throw new InputError(`${argument}.kind`, `one of ${OPTIMIZERS.join(', ')}`, o.kind);
  const out: Optimizer = { kind: o.kind!, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8 };
  if (!inUnitInterval(out.beta1)) throw new InputError(`${argument}.beta1`, 'a number in [0, 1)', out.beta1);
  if (!inUnitInterval(out.beta2)) throw new InputError(`${argument}.beta2`, 'a number in [0, 1)', out.beta2);
  if (typeof out.epsilon !== 'number' || !Number.isFinite(out.epsilon) || out.epsilon <= 0) {
    throw new InputError(`${argument}.epsilon`, 'a finite number > 0', out.epsilon);
  }
  return out;
}

/** λ of L2 regularization: a finite number ≥ 0 (0: none). */
export function validateL2(l2: unknown, argument = 'l2'): number {
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) throw new InputError(argument, 'a finite number ≥ 0', l2);
  return l2;
}

/** Examples per step: a positive integer; batchSize ≥ m is the full batch (as in the seed). */
export function validateBatchSize(batchSize: unknown, m: number, argument = 'batchSize'): number {
  if (!isPositiveInteger(batchSize) || !Number.isSafeInteger(batchSize)) {
    throw new InputError(argument, `a positive integer (examples per step; ≥ m = ${m} is the full batch)`, batchSize);
  }
  return Math.min(batchSize, m);
}

/** A resumed optimizer state: t a non-negative integer, v and s shaped like the parameters where the optimizer keeps them. */
export function validateOptimizerState(state: unknown, optimizer: Optimizer, sizes: number[], argument = 'state'): OptimizerState {
  if (typeof state !== 'object' || state === null) throw new InputError(argument, 'an optimizer state { t, start?, v?, s? }', state);
  const st = state as Partial<OptimizerState>;
  if (!Number.isSafeInteger(st.t) || (st.t as number) < 0) throw new InputError(`${argument}.t`, 'a non-negative integer (updates taken)', st.t);
  const slots = optimizerSlots(optimizer.kind);
  const out: OptimizerState = { t: st.t! };
  if (st.start !== undefined) {
    if (!Number.isSafeInteger(st.start) || st.start < 0 || st.start > st.t!) throw new InputError(`${argument}.start`, `an integer from 0 to t = ${st.t} (the update at which this optimizer's state began)`, st.start);
    if (st.start > 0) out.start = st.start;
  }
  if (slots >= 1) out.v = validateParameters(st.v, sizes, `${argument}.v`);
  if (slots >= 2) out.s = validateParameters(st.s, sizes, `${argument}.s`);
  for (const key of ['v', 's'] as const) {
    if (st[key] !== undefined && out[key] === undefined) {
      throw new InputError(`${argument}.${key}`, `nothing: the ${optimizer.kind} optimizer keeps no ${key}`, 'a value');
    }
  }
  return out;
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
 * Y Float32Arrays of the right lengths, X finite, and targets as the head needs
 * them (default: the seed's one sigmoid output): labels exactly 0 or 1 in (n_L, m)
 * for sigmoid, class ids 0 … K−1 in (1, m) for softmax, finite reals in (n_L, m)
 * for linear. When n0 is given it must match the network's input size. X and Y
 * must already be Float32Array (no silent conversion) so that a caller who ignores
 * the return value and uploads data.X still uploads what was checked.
 */
export function validateDataset(
  data: unknown,
  argument = 'data',
  n0?: number,
  target: { sizes: readonly number[]; head: Head } = { sizes: [0, 1], head: 'sigmoid' },
): Dataset {
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
  // Y is (rows, m): one row per output, or one row of class ids for softmax.
  const rows = labelRows(target);
  const K = target.sizes[target.sizes.length - 1];
  const Y = toFloat32Data(`${argument}.Y`, d.Y, rows * d.m);
  for (let j = 0; j < Y.length; j++) {
    const y = Y[j];
    if (target.head === 'sigmoid' && y !== 0 && y !== 1) throw new InputError(`${argument}.Y[${j}]`, 'a label 0 or 1', y);
    if (target.head === 'softmax' && !(Number.isInteger(y) && y >= 0 && y < K)) {
      throw new InputError(`${argument}.Y[${j}]`, `a class id, an integer 0 … ${K - 1} (K = ${K} classes)`, y);
    }
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
