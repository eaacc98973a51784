// Models that leave: toOnnx writes the trained network as standard ONNX operators,
// and ONNX Runtime (onnxruntime-web's wasm build, here in Node) must predict what the
// trainer predicts on its data within 1e-5, for several sizes, every activation and
// every head, with and without standardization. The trainer runs in this Node process
// on Dawn (src/node.ts). fromOnnx reads the file back to the same float32 parameters,
// and refuses what it cannot read, naming it.
import { expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-web';
import { createRng } from '../src/data/rng.ts';
import { FileFormatError } from '../src/errors.ts';
import { fromOnnx, toOnnx } from '../src/model/onnx.ts';
import { applyFeatures, RAW_INPUTS, type Feature } from '../src/data/features.ts';
import { requestGpu, Trainer } from '../src/node.ts';
import type { Activation, Dataset, Head } from '../src/types.ts';
import { expectClose } from '../src/testing/expect-close.ts';

ort.env.wasm.numThreads = 1;

/** X of N(0,1) features (times `scale`) and targets that suit the head. */
function data(n0: number, nL: number, m: number, head: Head, seed: number, scale = 1): Dataset {
  const rng = createRng(seed);
  const X = Float32Array.from({ length: n0 * m }, () => scale * rng.normal());
  const Y = head === 'linear'
    ? Float32Array.from({ length: nL * m }, () => rng.normal())
    : Float32Array.from({ length: m }, () => Math.floor(rng.uniform() * (head === 'softmax' ? nL : 2)));
  return { name: 'random', n0, m, X, Y };
}

const cases: { sizes: number[]; hidden: Activation[]; head: Head; m: number; standardize?: boolean; inputs?: Feature[] }[] = [
  // Input features computed in the graph from raw (x1, x2): no hidden layer, and one with standardization.
  { sizes: [2, 1], hidden: [], head: 'sigmoid', m: 50, inputs: ['x1sq', 'x2sq'] },
  { sizes: [7, 5, 3], hidden: ['tanh'], head: 'softmax', m: 33, standardize: true, inputs: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] },
  { sizes: [2, 4, 1], hidden: ['tanh'], head: 'sigmoid', m: 400 },
  { sizes: [3, 7, 5, 4], hidden: ['relu', 'leaky-relu'], head: 'softmax', m: 257 },
  { sizes: [5, 9, 2], hidden: ['sigmoid'], head: 'linear', m: 100, standardize: true },
  { sizes: [33, 20, 16, 10, 3], hidden: ['leaky-relu', 'linear', 'relu'], head: 'softmax', m: 1, standardize: true },
  { sizes: [784, 64, 10], hidden: ['relu'], head: 'softmax', m: 300 },
];

for (const { sizes, hidden, head, m, standardize, inputs } of cases) {
  const name = `[${sizes}] ${hidden.join(',')} ${head}, m=${m}${standardize ? ', standardized' : ''}${inputs ? `, inputs ${inputs}` : ''}`;
  test(`ONNX Runtime predicts what the trainer predicts within 1e-5, and fromOnnx reads the parameters back (${name})`, async () => {
    const nL = sizes[sizes.length - 1];
    // With input features the file takes the raw (x1, x2) and the trainer their features.
    const raw = data(inputs ? RAW_INPUTS : sizes[0], nL, m, head, sizes.length * 7 + m, standardize ? 5 : 1);
    const d = inputs ? { ...raw, n0: inputs.length, X: applyFeatures(raw.X, m, inputs) } : raw;
    const { device } = await requestGpu();
    const trainer = await Trainer.create(device, { sizes, activation: hidden, head, learningRate: 0.05, init: 'xavier', seed: 3, standardize: standardize ?? false }, d);
    try {
      await trainer.train({ steps: 20 });
      const params = await trainer.getParameters();
      const ours = await trainer.predict(d.X, m); // (nL, m)
      const bytes = toOnnx(params, hidden, { head, standardization: trainer.standardization, inputs });

      const session = await ort.InferenceSession.create(bytes);
      // ONNX takes one example per row: X is (m, n0), or (m, 2) of raw points.
      const n = raw.n0;
      const rows = new Float32Array(m * n);
      for (let k = 0; k < n; k++) for (let j = 0; j < m; j++) rows[j * n + k] = raw.X[k * m + j];
      const { Y } = await session.run({ X: new ort.Tensor('float32', rows, [m, n]) });
      expect(Y.dims).toEqual([m, nL]);
      const theirs = Y.data as Float32Array;
      const transposed = Array.from({ length: nL * m }, (_, i) => theirs[(i % m) * nL + Math.floor(i / m)]);
      expectClose(transposed, ours, { atol: 1e-5, rtol: 0, name: `ONNX Runtime against trainer.predict (${name})` });

      const back = fromOnnx(bytes);
      expect(back.params.sizes).toEqual(sizes);
      expect(back.hidden).toEqual(hidden);
      expect(back.head).toBe(head);
      expect(back.inputs).toEqual(inputs ?? null);
      for (let l = 1; l < sizes.length; l++) {
        expect(Array.from(back.params.W[l])).toEqual(Array.from(params.W[l], Math.fround));
        expect(Array.from(back.params.b[l])).toEqual(Array.from(params.b[l], Math.fround));
      }
      if (standardize) expect(back.standardization!.mean).toEqual(trainer.standardization!.mean.map(Math.fround));
      else expect(back.standardization).toBeNull();
    } finally {
      trainer.destroy();
      device.destroy();
    }
  });
}

test('fromOnnx refuses what it cannot read, naming it: bytes that are not ONNX, an unknown operator', () => {
  const refused = (bytes: Uint8Array) => {
    try {
      fromOnnx(bytes, 'net.onnx');
    } catch (e) {
      expect(e).toBeInstanceOf(FileFormatError);
      return (e as Error).message;
    }
    throw new Error('expected a FileFormatError');
  };
  expect(refused(new TextEncoder().encode('{"sizes": [2, 4, 1]}'))).toMatch(/^net\.onnx: not an ONNX model/);
  const sizes = [2, 3, 1];
  const params = { sizes, W: [new Float64Array(0), new Float64Array(6).fill(0.5), new Float64Array(3).fill(-1)], b: [new Float64Array(0), new Float64Array(3), new Float64Array(1)] };
  const bytes = toOnnx(params, 'tanh');
  // The operator's name, same length, changed in place: a model of another shape.
  const text = Buffer.from(bytes);
  const at = text.indexOf('Tanh');
  expect(at).toBeGreaterThan(0);
  text.write('Tanx', at);
  expect(refused(new Uint8Array(text))).toBe('net.onnx: layer 1: Tanx, expected one of Tanh, Relu, LeakyRelu, Sigmoid, Identity');
});
