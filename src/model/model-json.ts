// model.json: trained (or initial) parameters as a file, shared by the CLI
// (--out, --init) and the demo. W[l] is written as n_l rows of n_{l-1} numbers,
// as the matrix is drawn in the notes; b[l] as n_l numbers. Values are float32:
// they are written as the shortest decimal of the float32 value and read back
// through Math.fround, so a round trip is bit-exact.
import { FileFormatError, InputError } from '../errors.ts';
import { ACTIVATIONS, type Activation, type Parameters } from '../types.ts';

export const MODEL_FORMAT = 'webgpu-shallow-trainer/model';
export const MODEL_VERSION = 1;

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** [n0, n1, ..., nL] */
  sizes: number[];
  activation: Activation;
  /** W1..WL: W{l} is n_l rows of n_{l-1} numbers; b1..bL: b{l} is n_l numbers. */
  [key: `W${number}`]: number[][];
  [key: `b${number}`]: number[];
}

/** The JSON object for params; throws InputError if any value is not finite in float32. */
export function toModelJson(params: Parameters, activation: Activation): ModelJson {
  const n = params.sizes;
  const json = { format: MODEL_FORMAT, version: MODEL_VERSION, sizes: n.slice(), activation } as ModelJson;
  const f32 = (name: string, v: number): number => {
    const x = Math.fround(v);
    // JSON has no NaN or Infinity: JSON.stringify would write null and lose the error.
    if (!Number.isFinite(x)) throw new InputError(name, 'a finite float32 number', v);
    return x;
  };
  for (let l = 1; l < n.length; l++) {
    const rows: number[][] = [];
    for (let i = 0; i < n[l]; i++) {
      const row: number[] = [];
      for (let k = 0; k < n[l - 1]; k++) row.push(f32(`W${l}[${i}][${k}]`, params.W[l][i * n[l - 1] + k]));
      rows.push(row);
    }
    json[`W${l}`] = rows;
    json[`b${l}`] = Array.from(params.b[l], (v, i) => f32(`b${l}[${i}]`, v));
  }
  return json;
}

const describe = (v: unknown): string =>
  v === undefined ? 'missing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : JSON.stringify(v);

/**
 * Reads and checks a model file (its text, or an already parsed object). Every
 * problem is a FileFormatError naming the key and what was expected.
 */
export function parseModelJson(input: string | unknown, file = 'model.json'): { params: Parameters; activation: Activation } {
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

  if (obj.format !== MODEL_FORMAT) fail(`format is ${describe(obj.format)}, expected "${MODEL_FORMAT}"`);
  if (obj.version !== MODEL_VERSION) {
    fail(`version ${describe(obj.version)} is not supported; this reader supports version ${MODEL_VERSION}`);
  }

  const sizes = obj.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    return fail(`sizes is ${describe(sizes)}, expected an array of at least 2 positive integers [n0, n1, ..., nL]`);
  }
  const n = sizes as number[];
  const L = n.length - 1;
  // The output layer is one sigmoid unit; no trainer could load anything else.
  if (n[L] !== 1) fail(`sizes is [${n.join(', ')}]: the output layer n${L} must be 1 (binary classification)`);

  if (!(ACTIVATIONS as readonly unknown[]).includes(obj.activation)) {
    fail(`activation is ${describe(obj.activation)}, expected one of ${ACTIVATIONS.join(', ')}`);
  }
  const activation = obj.activation as Activation;

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

  const W: Float64Array[] = [new Float64Array(0)];
  const b: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    // W{l} is (n_l, n_{l-1}): n_l rows of n_{l-1} numbers.
    const rows = obj[`W${l}`];
    if (!Array.isArray(rows)) fail(`W${l} is ${describe(rows)}, expected ${n[l]} rows of ${n[l - 1]} numbers`);
    if ((rows as unknown[]).length !== n[l]) {
      fail(`W${l} has ${(rows as unknown[]).length} rows, expected n${l} = ${n[l]}`);
    }
    const Wl = new Float64Array(n[l] * n[l - 1]);
    (rows as unknown[]).forEach((row, i) => {
      vector(`W${l}[${i}]`, row, n[l - 1], `n${l - 1}`).forEach((v, k) => {
        Wl[i * n[l - 1] + k] = number(`W${l}[${i}][${k}]`, v);
      });
    });
    W.push(Wl);
    // b{l} is (n_l, 1), written flat.
    const bl = vector(`b${l}`, obj[`b${l}`], n[l], `n${l}`).map((v, i) => number(`b${l}[${i}]`, v));
    b.push(Float64Array.from(bl));
  }
  return { params: { sizes: n.slice(), W, b }, activation };
}
