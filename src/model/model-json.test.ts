import { test, expect } from '@playwright/test';
import { MODEL_FORMAT, MODEL_VERSION, parseModelJson, toModelJson } from './model-json.ts';
import { initParameters } from './init.ts';
import { FileFormatError } from '../errors.ts';
import type { Parameters } from '../types.ts';

const bitsEqual = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Parameters with biases set too, so a b/W mix-up would show. */
const sample = (sizes: number[]): Parameters => {
  const p = initParameters(sizes, 'xavier', 3);
  for (let l = 1; l < sizes.length; l++) p.b[l] = p.b[l].map((_, i) => Math.fround(0.1 * (i + 1) - 0.7 / l));
  return p;
};

const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(toModelJson(sample([2, 4, 1]), 'tanh')));

/** parseModelJson must throw a FileFormatError whose reason matches. */
const rejects = (input: unknown, reason: RegExp): void => {
  let error: unknown;
  try {
    parseModelJson(input, 'net.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FileFormatError);
  expect((error as FileFormatError).file).toBe('net.json');
  expect((error as FileFormatError).reason).toMatch(reason);
};

for (const sizes of [
  [2, 4, 1],
  [3, 4, 3, 1],
]) {
  test(`model.json round trip toModelJson → JSON.stringify → parseModelJson is bit-exact (sizes [${sizes}])`, () => {
    const p = sample(sizes);
    const back = parseModelJson(JSON.stringify(toModelJson(p, 'leaky-relu')));
    expect(back.activation).toBe('leaky-relu');
    expect(back.params.sizes).toEqual(sizes);
    for (let l = 1; l < sizes.length; l++) {
      expect(bitsEqual(back.params.W[l], p.W[l])).toBe(true);
      expect(bitsEqual(back.params.b[l], p.b[l])).toBe(true);
    }
  });
}

test('toModelJson layout for [2, 4, 1]: W1 is 4 rows of 2 (row i = W[1][i*2 ..]), b1 flat, keys in order', () => {
  const p = sample([2, 4, 1]);
  const json = toModelJson(p, 'tanh');
  expect(Object.keys(json)).toEqual(['format', 'version', 'sizes', 'activation', 'head', 'W1', 'b1', 'W2', 'b2']);
  expect(json.head).toBe('sigmoid');
  expect(json.format).toBe(MODEL_FORMAT);
  expect(json.version).toBe(MODEL_VERSION);
  expect(json.W1).toEqual([0, 1, 2, 3].map((i) => [p.W[1][2 * i], p.W[1][2 * i + 1]]));
  expect(json.b1).toEqual(Array.from(p.b[1]));
  expect(json.W2).toEqual([Array.from(p.W[2])]);
});

test('toModelJson rounds float64 parameters to float32 and refuses NaN (JSON would write null)', () => {
  const p = sample([2, 4, 1]);
  p.W[1][0] = 0.1;
  expect(toModelJson(p, 'tanh').W1[0][0]).toBe(Math.fround(0.1));
  p.b[2][0] = Number.NaN;
  expect(() => toModelJson(p, 'tanh')).toThrow(/^b2\[0\]: expected a finite float32 number, got NaN/);
});

test('parseModelJson accepts an already parsed object as well as text', () => {
  expect(parseModelJson(good()).params.sizes).toEqual([2, 4, 1]);
});

test('parseModelJson rejects text that is not JSON or is truncated', () => {
  const text = JSON.stringify(good());
  rejects(text.slice(0, text.length / 2), /not valid JSON \(is the file truncated\?\)/);
  rejects('', /not valid JSON/);
  rejects('[1, 2]', /expected a JSON object, got an array/);
});

test('parseModelJson rejects an unknown format and version 3, naming the supported versions 1 and 2', () => {
  rejects({ ...good(), format: 'keras' }, /format is "keras", expected "webgpu-shallow-trainer\/model"/);
  rejects({ ...good(), format: undefined }, /format is missing/);
  rejects({ ...good(), version: 3 }, /version 3 is not supported; this reader supports versions 1 and 2/);
});

test('parseModelJson rejects sizes that are missing, too short, zero or fractional', () => {
  for (const sizes of [undefined, [2], [2, 0, 1], [2, 1.5, 1], '2,4,1']) {
    rejects({ ...good(), sizes }, /sizes is .*, expected an array of at least 2 positive integers/);
  }
});

test('parseModelJson rejects an unknown activation, listing the known ones', () => {
  rejects({ ...good(), activation: 'softplus' }, /activation is "softplus", expected one of tanh, relu, leaky-relu, sigmoid/);
});

test('parseModelJson rejects missing W2 and b1', () => {
  const noW2 = good();
  delete noW2.W2;
  rejects(noW2, /W2 is missing, expected 1 rows of 4 numbers/);
  const noB1 = good();
  delete noB1.b1;
  rejects(noB1, /b1 is missing, expected an array of 4 numbers \(n1\)/);
});

test('parseModelJson rejects W1 with 3 rows instead of n1 = 4 and W1[2] with 3 entries instead of n0 = 2', () => {
  const rows = good();
  (rows.W1 as number[][]).pop();
  rejects(rows, /^W1 has 3 rows, expected n1 = 4$/);
  const row = good();
  (row.W1 as number[][])[2].push(0.5);
  rejects(row, /^W1\[2\] has 3 entries, expected n0 = 2$/);
  const b = good();
  (b.b1 as number[]).push(1);
  rejects(b, /^b1 has 5 entries, expected n1 = 4$/);
});

test('parseModelJson rejects "NaN", null, "1" and 1e39 (beyond float32) as values, naming the entry', () => {
  const cases: [unknown, RegExp][] = [
    ['NaN', /^W1\[1\]\[0\] is "NaN", expected a finite number$/],
    [null, /^W1\[1\]\[0\] is null, expected a finite number$/],
    ['1', /^W1\[1\]\[0\] is "1", expected a finite number$/],
    [1e39, /^W1\[1\]\[0\] is 1e\+39, outside the float32 range$/],
  ];
  for (const [value, reason] of cases) {
    const json = good();
    (json.W1 as unknown[][])[1][0] = value;
    rejects(json, reason);
  }
  const text = JSON.stringify(good()).replace(/"b2":\[[^\]]*\]/, '"b2":[Infinity]');
  rejects(text, /not valid JSON/); // JSON itself cannot spell Infinity
});

test('parseModelJson rejects W3 in a file whose sizes [2, 4, 1] have 2 layers', () => {
  rejects({ ...good(), W3: [[1]] }, /unexpected key W3: sizes \[2, 4, 1\] has layers 1..2/);
});

test('parseModelJson: a version 1 file must have one output unit and no head; a softmax file needs n_L ≥ 2', () => {
  const v1: Record<string, unknown> = { ...good(), version: 1 };
  delete v1.head;
  expect(parseModelJson(v1).head).toBe('sigmoid');
  rejects({ ...v1, sizes: [2, 4, 2] }, /^sizes is \[2, 4, 2\]: the output layer n2 must be 1 in a version 1 file/);
  rejects({ ...v1, head: 'sigmoid' }, /version 1 files have the sigmoid head only/);
  rejects({ ...good(), head: 'softmax' }, /the softmax head needs n2 ≥ 2 classes/);
  rejects({ ...good(), head: 'tanh' }, /head is "tanh", expected one of sigmoid, softmax, linear/);
});

test('parseModelJson rejects a missing or string version and a W1 row that is not an array (ragged / corrupt rows)', () => {
  rejects({ ...good(), version: undefined }, /^version missing is not supported; this reader supports versions 1 and 2$/);
  rejects({ ...good(), version: '1' }, /^version "1" is not supported/);
  const corrupt = good();
  (corrupt.W1 as unknown[])[3] = 0.5;
  rejects(corrupt, /^W1\[3\] is 0\.5, expected an array of 2 numbers \(n0\)$/);
  const ragged = good();
  (ragged.W1 as number[][])[0] = [0.1];
  rejects(ragged, /^W1\[0\] has 1 entries, expected n0 = 2$/);
});

test('parseModelJson rejects text cut at any point (every prefix of the file) with "not valid JSON"', () => {
  const text = JSON.stringify(good(), null, 1);
  for (let end = 0; end < text.length; end += 7) rejects(text.slice(0, end), /not valid JSON \(is the file truncated\?\)/);
});

test('parseModelJson rejects a null entry (what JSON.stringify writes for NaN) and a boolean, naming the entry', () => {
  const json = good();
  (json.b1 as unknown[])[2] = null;
  rejects(json, /^b1\[2\] is null, expected a finite number$/);
  const text = JSON.stringify({ ...good(), b2: [Number.NaN] }); // → "b2":[null]
  rejects(text, /^b2\[0\] is null, expected a finite number$/);
  const bool = good();
  (bool.W2 as unknown[][])[0][1] = true;
  rejects(bool, /^W2\[0\]\[1\] is true, expected a finite number$/);
});

test('model.json version 2 round trip: deeper softmax net, activations per layer, standardization and Adam state, bit-exact', () => {
  const sizes = [3, 5, 4, 3];
  const p = sample(sizes);
  const v = sample(sizes);
  const st = sample(sizes);
  const optimizer = { kind: 'adam' as const, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const json = toModelJson(p, ['relu', 'tanh'], {
    head: 'softmax',
    standardization: { mean: [1, 2, 3], std: [0.5, 1, 4] },
    optimizer: { optimizer, state: { t: 630, v, s: st } },
  });
  const back = parseModelJson(JSON.stringify(json));
  expect(back.head).toBe('softmax');
  expect(back.hidden).toEqual(['relu', 'tanh']);
  expect(back.activation).toBe('relu');
  expect(back.standardization).toEqual({ mean: [1, 2, 3], std: [0.5, 1, 4] });
  expect(back.optimizer!.optimizer).toEqual(optimizer);
  expect(back.optimizer!.state.t).toBe(630);
  for (let l = 1; l < sizes.length; l++) {
    expect(bitsEqual(back.params.W[l], p.W[l])).toBe(true);
    expect(bitsEqual(back.optimizer!.state.v!.W[l], v.W[l])).toBe(true);
    expect(bitsEqual(back.optimizer!.state.s!.b[l], st.b[l])).toBe(true);
  }
});

test('parseModelJson reads a file with only the documented fields (no format, no version), as another language writes it', () => {
  const bare = { sizes: [2, 3, 1], activation: 'relu', W1: [[1, 2], [3, 4], [5, 6]], b1: [0, 0, 0], W2: [[1, -1, 0.5]], b2: [0.25] };
  const back = parseModelJson(JSON.stringify(bare));
  expect(back.params.sizes).toEqual([2, 3, 1]);
  expect(back.head).toBe('sigmoid');
  expect(Array.from(back.params.W[1])).toEqual([1, 2, 3, 4, 5, 6]);
  // A deeper bare file with W3, b3.
  const deep = { ...bare, sizes: [2, 3, 2, 4], head: 'softmax', W2: [[1, 0, 0], [0, 1, 0]], b2: [0, 0], W3: [[1, 0], [0, 1], [1, 1], [0, 0]], b3: [0, 0, 0, 0] };
  expect(parseModelJson(deep).params.sizes).toEqual([2, 3, 2, 4]);
});

test('parseModelJson rejects a v2 file whose activations, standardization or optimizer state do not match its layers', () => {
  rejects({ ...good(), activation: ['relu', 'tanh'] }, /activation has 2 entries, expected one per hidden layer, L − 1 = 1/);
  rejects({ ...good(), standardize: { mean: [0], std: [1, 1] } }, /standardize.mean has 1 entries, expected n0 = 2/);
  rejects({ ...good(), standardize: { mean: [0, 0], std: [1, 0] } }, /standardize.std\[1\] is 0, expected a number > 0/);
  const withAdam = JSON.parse(JSON.stringify(toModelJson(sample([2, 4, 1]), 'tanh', {
    optimizer: { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, state: { t: 3, v: sample([2, 4, 1]), s: sample([2, 4, 1]) } },
  })));
  const missingS = JSON.parse(JSON.stringify(withAdam));
  delete missingS.optimizer.s;
  rejects(missingS, /optimizer.s is missing, expected the adam state laid out like W1, b1/);
  const shortV = JSON.parse(JSON.stringify(withAdam));
  shortV.optimizer.v.W1.pop();
  rejects(shortV, /^optimizer.v.W1 has 3 rows, expected n1 = 4$/);
  rejects({ ...withAdam, optimizer: { ...withAdam.optimizer, kind: 'sgd' } }, /optimizer.v is given, but sgd keeps no v/);
  rejects({ ...withAdam, optimizer: { ...withAdam.optimizer, beta1: 1 } }, /optimizer.beta1 is 1, expected a number in \[0, 1\)/);
});

test('the data\'s names (classes, features, target) round-trip through model.json and the ONNX metadata, and are checked against the network', async () => {
  const { fromOnnx, toOnnx } = await import('./onnx.ts');
  const names = { classes: ['B', 'M'], features: ['height', 'weight'], target: 'diagnosis' };
  const json = toModelJson(sample([2, 4, 1]), 'tanh', { names });
  expect(parseModelJson(JSON.stringify(json)).names).toEqual(names);
  expect(parseModelJson(JSON.stringify(toModelJson(sample([2, 4, 1]), 'tanh'))).names).toEqual({});
  const back = fromOnnx(toOnnx(sample([2, 4, 1]), 'tanh', { names }));
  expect(back.names).toEqual(names);
  // Softmax: one name per output; a sigmoid output: two.
  rejects({ ...good(), classes: ['a', 'b', 'c'] }, /classes has 3 names, expected 2 \(two, for outputs 0 and 1\)/);
  rejects({ ...good(), features: ['x'] }, /features has 1 names, expected 2 \(one per input, n0\)/);
  rejects({ ...good(), classes: ['a', 'a'] }, /classes names "a" twice/);
  rejects({ ...good(), classes: 'ab' }, /classes is "ab", expected 2 strings/);
  rejects({ ...good(), head: 'linear', classes: ['a', 'b'] }, /classes is given, but a linear head with 1 outputs has no classes/);
  expect(() => toModelJson(sample([2, 4, 3]), 'tanh', { head: 'softmax', names: { classes: ['a'] } })).toThrow(/classes has 1 names, expected 3/);
});

test('an optimizer state taken up mid-run keeps its start through model.json; a start past t is refused', () => {
  const p = sample([2, 3, 1]);
  const zeros = initParameters([2, 3, 1], 'zeros', 0);
  const optimizer = { optimizer: { kind: 'adam' as const, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, state: { t: 70, start: 40, v: zeros, s: zeros } };
  const back = parseModelJson(JSON.stringify(toModelJson(p, 'tanh', { optimizer })));
  expect([back.optimizer!.state.t, back.optimizer!.state.start]).toEqual([70, 40]);
  const json = JSON.parse(JSON.stringify(toModelJson(p, 'tanh', { optimizer })));
  rejects({ ...json, optimizer: { ...json.optimizer, start: 71 } }, /optimizer.start is 71, expected the update at which this optimizer began, an integer from 0 to t/);
});
