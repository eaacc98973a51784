import { test, expect } from '@playwright/test';
import { applyFeatures, FEATURES, featureValue, isIdentity, validateFeatures } from './features.ts';
import { InputError } from '../errors.ts';
import { parseModelJson, toModelJson } from '../model/model-json.ts';
import { predictModel } from '../model/predict.ts';
import { forward } from '../reference/network.ts';
import { initParameters } from '../model/init.ts';

test('applyFeatures computes each feature of each point (x1, x2) in float64, rounded once to float32, in the order asked (m = 1 and m = 3)', () => {
  const X = [0.5, -2, 3, 1.5, 0.25, -1]; // x1 = [0.5, -2, 3], x2 = [1.5, 0.25, -1]
  const out = applyFeatures(X, 3, ['sinx2', 'x1x2', 'x1sq', 'x2', 'x1', 'x2sq', 'sinx1']);
  const expected = [
    [Math.sin(1.5), Math.sin(0.25), Math.sin(-1)],
    [0.75, -0.5, -3],
    [0.25, 4, 9],
    [1.5, 0.25, -1],
    [0.5, -2, 3],
    [2.25, 0.0625, 1],
    [Math.sin(0.5), Math.sin(-2), Math.sin(3)],
  ].flat().map(Math.fround);
  expect(Array.from(out)).toEqual(expected);
  expect(Array.from(applyFeatures([2, 3], 1, ['x1sq', 'x1x2']))).toEqual([4, 6]);
  for (const f of FEATURES) expect(Number.isFinite(featureValue(f, 1.25, -0.5))).toBe(true);
  expect(isIdentity(['x1', 'x2'])).toBe(true);
  expect(isIdentity(['x2', 'x1'])).toBe(false);
});

test('bad feature lists and X of the wrong length are InputErrors naming the argument', () => {
  expect(() => validateFeatures([], 'features')).toThrow(/^features: expected a non-empty list/);
  expect(() => validateFeatures(['x1', 'x3'])).toThrow(/^inputs\[1\]: expected one of x1, x2, x1sq/);
  expect(() => validateFeatures(['x1', 'x1'])).toThrow(/^inputs\[1\]: expected a feature not listed before, got "x1"/);
  expect(() => applyFeatures([1, 2, 3], 2, ['x1'])).toThrow(InputError);
});

test('a model with input features: model.json keeps them, predictModel takes raw (x1, x2) and equals the float64 network on the features; a count that disagrees with n0 is refused', () => {
  const params = initParameters([3, 4, 1], 'xavier', 5);
  const inputs = ['x1sq', 'x2sq', 'sinx1'] as const;
  const json = toModelJson(params, 'tanh', { inputs: [...inputs], names: { features: ['u', 'v'] } });
  const model = parseModelJson(JSON.stringify(json));
  expect(model.inputs).toEqual(inputs);
  expect(model.names.features).toEqual(['u', 'v']);
  const raw = [0.3, -1.2, 2, 0.7];
  const viaFeatures = forward(model.params, { hidden: ['tanh'], head: 'sigmoid' }, applyFeatures(raw, 2, inputs), 2).A[2];
  expect(Array.from(predictModel(model, raw, 2).outputs)).toEqual(Array.from(viaFeatures));
  expect(() => parseModelJson(JSON.stringify({ ...json, inputs: ['x1', 'x2'] }))).toThrow(/inputs has 2 features, expected one per input of the network, n0 = 3/);
  expect(() => parseModelJson(JSON.stringify({ ...json, inputs: ['x1', 'x2', 'cos'] }))).toThrow(/inputs\[2\]: expected one of/);
});
