// model.json: trained (or initial) parameters as a file, shared by the CLI
// (--out, --init) and the demo. W[l] is written as n_l rows of n_{l-1} numbers,
// as the matrix is drawn in the notes; b[l] as n_l numbers. Values are float32:
// they are written as the shortest decimal of the float32 value and read back
// through Math.fround, so a round trip is bit-exact.
// Version 2 adds the head, one activation per hidden layer, the standardization of
// the features and, when asked, the optimizer's state (to resume training). Version
// 1 files still load, and so does a file with only the documented fields (sizes,
// activation, W1, b1, …) and no format or version, as a script in another language
// writes it. Version 2 files may also name the data's columns (features, target)
// and classes, as a CSV gave them; readers that predate these ignore them.
import { FileFormatError, InputError } from '../errors.ts';
import type { Standardization } from '../data/standardize.ts';
import { RAW_INPUTS, validateFeatures, type Feature } from '../data/features.ts';
import {
  ACTIVATIONS,
  HEADS,
  OPTIMIZERS,
  optimizerSlots,
  type Activation,
  type Head,
  type Optimizer,
  type OptimizerState,
  type Parameters,
} from '../types.ts';

export const MODEL_FORMAT = 'webgpu-shallow-trainer/model';
export const MODEL_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

type Layers = { [key: `W${number}`]: number[][] } & { [key: `b${number}`]: number[] };

/** The file's fields; the data's names (DataNames) sit beside the weights. */
export interface ModelJson extends DataNames {
  format: typeof MODEL_FORMAT;
  version: number;
  /** [n0, n1, ..., nL] */
  sizes: number[];
  /** One activation for every hidden layer, or one per hidden layer. */
  activation: Activation | Activation[];
  /** Version 2: the output head (version 1 files are 'sigmoid'). */
  head?: Head;
  /** The network's inputs computed from raw (x1, x2), in order (src/data/features.ts); sizes[0] is their count. Absent: X is the input itself. */
  inputs?: Feature[];
  /** Applied to X (after the inputs are computed) before the first layer: x ↦ (x − mean) / std per feature. */
  standardize?: Standardization;
  /** When saved to resume: the optimizer, its step count t and its state laid out like W, b. */
  optimizer?: Optimizer & { t: number; start?: number; v?: Layers; s?: Layers };
  /** W1..WL: W{l} is n_l rows of n_{l-1} numbers; b1..bL: b{l} is n_l numbers. */
  [key: `W${number}`]: number[][];
  [key: `b${number}`]: number[];
}

/** What a model file holds besides the parameters (all optional when writing). */
export interface ModelExtras {
  head?: Head;
  /** Input features computed from raw (x1, x2) (src/data/features.ts); null or absent: none. */
  inputs?: Feature[] | null;
  standardization?: Standardization | null;
  /** Saved only when given: the optimizer and its state. */
  optimizer?: { optimizer: Optimizer; state: OptimizerState };
  /** The data's names: classes (one per class), features (n0) and the target column. */
  names?: DataNames;
}

/** What a model knows of its data's names (all optional: generated data has none). */
export interface DataNames {
  /** The name of class k at index k (output k of softmax; for sigmoid, 0 and 1), as the data's labels read. */
  classes?: string[];
  /** The feature columns' names, in input order (from a CSV header): predict matches a file's columns by them. */
  features?: string[];
  /** The target column's name. */
  target?: string;
}

/** Everything read from a model file. */
export interface ParsedModel {
  params: Parameters;
  /** The first hidden layer's activation ('tanh' for a network without hidden layers and none given). */
  activation: Activation;
  /** One per hidden layer. */
  hidden: Activation[];
  head: Head;
  /** The input features computed from raw (x1, x2) before anything else; null: X is the input. */
  inputs: Feature[] | null;
  standardization: Standardization | null;
  optimizer: { optimizer: Optimizer; state: OptimizerState } | null;
  names: DataNames;
}

/** The number of classes a network's output means: softmax's rows, 2 for one sigmoid output; 0 otherwise. */
export function classCount(sizes: readonly number[], head: Head): number {
  const nL = sizes[sizes.length - 1];
  return head === 'softmax' ? nL : head === 'sigmoid' && nL === 1 ? 2 : 0;
}

/** Checks names against the network: one class name per class, a distinct name per raw input (n0, or x1 and x2 when `inputs` are computed from them). */
export function checkNames(names: DataNames, sizes: readonly number[], head: Head, fail: (why: string) => never, inputs: readonly Feature[] | null = null): DataNames {
  const strings = (key: string, v: unknown, length: number, what: string): string[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return fail(`${key} is ${describe(v)}, expected ${length} strings (${what})`);
    if (v.length !== length) fail(`${key} has ${v.length} names, expected ${length} (${what})`);
    const seen = v.find((x, i) => v.indexOf(x) !== i);
    if (seen !== undefined) fail(`${key} names ${JSON.stringify(seen)} twice`);
    return v.slice() as string[];
  };
  const out: DataNames = {};
  if (names.classes !== undefined) {
    const K = classCount(sizes, head);
    if (K === 0) fail(`classes is given, but a ${head} head with ${sizes[sizes.length - 1]} outputs has no classes`);
    out.classes = strings('classes', names.classes, K, head === 'softmax' ? `one per output, n${sizes.length - 1}` : 'two, for outputs 0 and 1');
  }
  if (names.features !== undefined) out.features = strings('features', names.features, inputs ? RAW_INPUTS : sizes[0], inputs ? 'one per raw input, x1 and x2' : 'one per input, n0');
  if (names.target !== undefined) {
    if (typeof names.target !== 'string') fail(`target is ${describe(names.target)}, expected the target column's name`);
    out.target = names.target;
  }
  return out;
}

const f32 = (name: string, v: number): number => {
  const x = Math.fround(v);
  // JSON has no NaN or Infinity: JSON.stringify would write null and lose the error.
  if (!Number.isFinite(x)) throw new InputError(name, 'a finite float32 number', v);
  return x;
};

/** W{l} as n_l rows of n_{l-1} numbers and b{l} flat, for every layer, under `prefix`. */
function layersJson(params: Parameters, prefix = ''): Layers {
  const n = params.sizes;
  const json = {} as Layers;
  for (let l = 1; l < n.length; l++) {
    const rows: number[][] = [];
    for (let i = 0; i < n[l]; i++) {
      const row: number[] = [];
      for (let k = 0; k < n[l - 1]; k++) row.push(f32(`${prefix}W${l}[${i}][${k}]`, params.W[l][i * n[l - 1] + k]));
      rows.push(row);
    }
    json[`W${l}`] = rows;
    json[`b${l}`] = Array.from(params.b[l], (v, i) => f32(`${prefix}b${l}[${i}]`, v));
  }
  return json;
}

/** The JSON object for params; throws InputError if any value is not finite in float32. */
export function toModelJson(params: Parameters, activation: Activation | Activation[], extras: ModelExtras = {}): ModelJson {
  const json = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    sizes: params.sizes.slice(),
    // One name when every hidden layer has the same activation (as version 1 wrote it).
    activation: Array.isArray(activation) && activation.length > 0 && activation.some((a) => a !== activation[0]) ? activation.slice() : Array.isArray(activation) ? (activation[0] ?? 'tanh') : activation,
    head: extras.head ?? 'sigmoid',
  } as ModelJson;
  if (extras.inputs) json.inputs = checkInputs(extras.inputs, params.sizes[0], (why) => {
    throw new InputError('inputs', 'one feature per input of the network', why);
  });
  if (extras.standardization) {
    json.standardize = {
      mean: extras.standardization.mean.map((v, i) => f32(`standardize.mean[${i}]`, v)),
      std: extras.standardization.std.map((v, i) => f32(`standardize.std[${i}]`, v)),
    };
  }
  const names = checkNames(extras.names ?? {}, params.sizes, json.head!, (why) => {
    throw new InputError('names', 'names that fit the network', why);
  }, json.inputs ?? null);
  Object.assign(json, names);
  Object.assign(json, layersJson(params));
  if (extras.optimizer) {
    const { optimizer, state } = extras.optimizer;
    json.optimizer = { ...optimizer, t: state.t, ...(state.start ? { start: state.start } : {}) };
    if (state.v) json.optimizer.v = layersJson(state.v, 'optimizer.v.');
    if (state.s) json.optimizer.s = layersJson(state.s, 'optimizer.s.');
  }
  return json;
}

/** Input features that fit a network with n0 inputs: valid names (validateFeatures), n0 of them. */
export function checkInputs(inputs: unknown, n0: number, fail: (why: string) => never): Feature[] {
  let features: Feature[] = [];
  try {
    features = validateFeatures(inputs, 'inputs');
  } catch (e) {
    fail((e as Error).message);
  }
  if (features.length !== n0) fail(`inputs has ${features.length} features, expected one per input of the network, n0 = ${n0}`);
  return features;
}

const describe = (v: unknown): string =>
  v === undefined ? 'missing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : JSON.stringify(v);

/**
 * Reads and checks a model file (its text, or an already parsed object). Every
 * problem is a FileFormatError naming the key and what was expected.
 */
export function parseModelJson(input: string | unknown, file = 'model.json'): ParsedModel {
  const fail = (reason: string): never => {
    throw new FileFormatError(file, null, reason);
  };
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      fail(`not valid JSON (is the file truncated?): ${(e as Error).message}`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(`expected a JSON object, got ${describe(json)}`);
  }
  const obj = json as Record<string, unknown>;

  // A file with neither format nor version is read as the documented fields alone.
  const bare = obj.format === undefined && obj.version === undefined;
  if (!bare) {
    if (obj.format !== MODEL_FORMAT) fail(`format is ${describe(obj.format)}, expected "${MODEL_FORMAT}"`);
    if (!READABLE_VERSIONS.includes(obj.version as number)) {
      fail(`version ${describe(obj.version)} is not supported; this reader supports versions ${READABLE_VERSIONS.join(' and ')}`);
    }
  }
  const version = bare ? MODEL_VERSION : (obj.version as number);

  const sizes = obj.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    return fail(`sizes is ${describe(sizes)}, expected an array of at least 2 positive integers [n0, n1, ..., nL]`);
  }
  const n = sizes as number[];
  const L = n.length - 1;

  const head = (obj.head ?? 'sigmoid') as Head;
  if (version === 1 && obj.head !== undefined) fail(`head is ${describe(obj.head)}: version 1 files have the sigmoid head only`);
  if (!HEADS.includes(head)) fail(`head is ${describe(obj.head)}, expected one of ${HEADS.join(', ')}`);
  // Version 1 knew one sigmoid output only.
  if (version === 1 && n[L] !== 1) fail(`sizes is [${n.join(', ')}]: the output layer n${L} must be 1 in a version 1 file (binary classification)`);
  if (head === 'softmax' && n[L] < 2) fail(`sizes is [${n.join(', ')}]: the softmax head needs n${L} ≥ 2 classes`);

  const isActivation = (a: unknown): a is Activation => (ACTIVATIONS as readonly unknown[]).includes(a);
  let hidden: Activation[];
  if (Array.isArray(obj.activation)) {
    if (version === 1) fail('activation is a list: version 1 files have one activation');
    if (obj.activation.length !== L - 1) fail(`activation has ${obj.activation.length} entries, expected one per hidden layer, L − 1 = ${L - 1}`);
    obj.activation.forEach((a, i) => {
      if (!isActivation(a)) fail(`activation[${i}] is ${describe(a)}, expected one of ${ACTIVATIONS.join(', ')}`);
    });
    hidden = (obj.activation as Activation[]).slice();
  } else {
    if (!isActivation(obj.activation)) fail(`activation is ${describe(obj.activation)}, expected one of ${ACTIVATIONS.join(', ')} (or a list, one per hidden layer)`);
    hidden = new Array<Activation>(L - 1).fill(obj.activation as Activation);
  }
  const activation = hidden[0] ?? (isActivation(obj.activation) ? obj.activation : 'tanh');

  // W5 in a file whose sizes say L = 2 means sizes and weights disagree.
  for (const key of Object.keys(obj)) {
    const match = /^[Wb](\d+)$/.exec(key);
    if (match && (Number(match[1]) < 1 || Number(match[1]) > L)) {
      fail(`unexpected key ${key}: sizes [${n.join(', ')}] has layers 1..${L}`);
    }
  }

  const number = (name: string, v: unknown): number => {
    if (typeof v !== 'number') return fail(`${name} is ${describe(v)}, expected a finite number`);
    const x = Math.fround(v);
    if (!Number.isFinite(x)) fail(`${name} is ${v}, outside the float32 range`);
    return x;
  };
  const vector = (name: string, v: unknown, length: number, what: string): unknown[] => {
    if (!Array.isArray(v)) return fail(`${name} is ${describe(v)}, expected an array of ${length} numbers (${what})`);
    if (v.length !== length) fail(`${name} has ${v.length} entries, expected ${what} = ${length}`);
    return v;
  };

  const readLayers = (src: Record<string, unknown>, prefix: string): Parameters => {
    const W: Float64Array[] = [new Float64Array(0)];
    const b: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= L; l++) {
      // W{l} is (n_l, n_{l-1}): n_l rows of n_{l-1} numbers.
      const rows = src[`W${l}`];
      if (!Array.isArray(rows)) fail(`${prefix}W${l} is ${describe(rows)}, expected ${n[l]} rows of ${n[l - 1]} numbers`);
      if ((rows as unknown[]).length !== n[l]) {
        fail(`${prefix}W${l} has ${(rows as unknown[]).length} rows, expected n${l} = ${n[l]}`);
      }
      const Wl = new Float64Array(n[l] * n[l - 1]);
      (rows as unknown[]).forEach((row, i) => {
        vector(`${prefix}W${l}[${i}]`, row, n[l - 1], `n${l - 1}`).forEach((v, k) => {
          Wl[i * n[l - 1] + k] = number(`${prefix}W${l}[${i}][${k}]`, v);
        });
      });
      W.push(Wl);
      // b{l} is (n_l, 1), written flat.
      const bl = vector(`${prefix}b${l}`, src[`b${l}`], n[l], `n${l}`).map((v, i) => number(`${prefix}b${l}[${i}]`, v));
      b.push(Float64Array.from(bl));
    }
    return { sizes: n.slice(), W, b };
  };
  const params = readLayers(obj, '');

  let standardization: Standardization | null = null;
  if (obj.standardize !== undefined) {
    const st = obj.standardize as Record<string, unknown> | null;
    if (typeof st !== 'object' || st === null) return fail(`standardize is ${describe(st)}, expected { mean, std } with n0 = ${n[0]} numbers each`);
    const mean = vector('standardize.mean', st.mean, n[0], 'n0').map((v, i) => number(`standardize.mean[${i}]`, v));
    const std = vector('standardize.std', st.std, n[0], 'n0').map((v, i) => number(`standardize.std[${i}]`, v));
    std.forEach((v, i) => {
      if (v <= 0) fail(`standardize.std[${i}] is ${v}, expected a number > 0`);
    });
    standardization = { mean, std };
  }

  let optimizer: ParsedModel['optimizer'] = null;
  if (obj.optimizer !== undefined) {
    const o = obj.optimizer as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) return fail(`optimizer is ${describe(o)}, expected { kind, beta1, beta2, epsilon, t, v, s }`);
    if (!(OPTIMIZERS as readonly unknown[]).includes(o.kind)) fail(`optimizer.kind is ${describe(o.kind)}, expected one of ${OPTIMIZERS.join(', ')}`);
    const unit = (k: string) => {
      const v = o[k];
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(`optimizer.${k} is ${describe(v)}, expected a number in [0, 1)`);
      return v as number;
    };
    const opt: Optimizer = { kind: o.kind as Optimizer['kind'], beta1: unit('beta1'), beta2: unit('beta2'), epsilon: o.epsilon as number };
    if (typeof opt.epsilon !== 'number' || !(opt.epsilon > 0)) fail(`optimizer.epsilon is ${describe(o.epsilon)}, expected a number > 0`);
    if (!Number.isSafeInteger(o.t) || (o.t as number) < 0) fail(`optimizer.t is ${describe(o.t)}, expected the updates taken, an integer ≥ 0`);
    const state: OptimizerState = { t: o.t as number };
    if (o.start !== undefined) {
      if (!Number.isSafeInteger(o.start) || (o.start as number) < 0 || (o.start as number) > state.t) fail(`optimizer.start is ${describe(o.start)}, expected the update at which this optimizer began, an integer from 0 to t`);
      if ((o.start as number) > 0) state.start = o.start as number;
    }
    const slots = optimizerSlots(opt.kind);
    for (const [k, key] of [[1, 'v'], [2, 's']] as const) {
      if (slots >= k) {
        const src = o[key];
        if (typeof src !== 'object' || src === null) fail(`optimizer.${key} is ${describe(src)}, expected the ${opt.kind} state laid out like W1, b1, …`);
        state[key] = readLayers(src as Record<string, unknown>, `optimizer.${key}.`);
      } else if (o[key] !== undefined) {
        fail(`optimizer.${key} is given, but ${opt.kind} keeps no ${key}`);
      }
    }
    optimizer = { optimizer: opt, state };
  }
  const inputs = obj.inputs === undefined ? null : checkInputs(obj.inputs, n[0], fail);
  const names = checkNames({ classes: obj.classes, features: obj.features, target: obj.target } as DataNames, n, head, fail, inputs);
  return { params, activation, hidden, head, inputs, standardization, optimizer, names };
}
