// `npm run predict`'s options, its CSV of predictions, and how a file's columns
// meet a model's: pure functions, no GPU.
import { expect, test } from '@playwright/test';
import { parseFeatureCsv } from '../src/data/csv.ts';
import { FileFormatError, InputError } from '../src/errors.ts';
import { predictModel } from '../src/model/predict.ts';
import { UsageError } from './options.ts';
import { csvField, parsePredictArgs, predictionsCsv, predictUsage } from './predictions.ts';

test('predict options: --model and --data required, --out optional, the last of a repeated option counts', () => {
  expect(parsePredictArgs(['--model', 'm.json', '--data', 'd.csv'])).toEqual({ model: 'm.json', data: 'd.csv', out: null, help: false });
  expect(parsePredictArgs(['--model=a.json', '--data', 'd.csv', '--out', 'p.csv', '--model', 'b.onnx']).model).toBe('b.onnx');
  expect(parsePredictArgs(['--help']).help).toBe(true);
  expect(() => parsePredictArgs(['--data', 'd.csv'])).toThrow(UsageError);
  expect(() => parsePredictArgs(['--model', 'm.json', '--dat', 'd.csv'])).toThrow(/Did you mean --data\?/);
  expect(() => parsePredictArgs(['--model', ''])).toThrow(InputError);
  expect(predictUsage()).toContain('--out FILE.csv');
});

test('predictions as CSV: the class by name and every class\'s probability (sigmoid and softmax); a regression\'s value', () => {
  // One sigmoid output: z = x, so x = 2 is class "yes" with p = σ(2), and x = −2 is "no".
  const sigmoid = { params: { sizes: [1, 1], W: [new Float64Array(0), Float64Array.of(1)], b: [new Float64Array(0), Float64Array.of(0)] }, hidden: [], head: 'sigmoid' as const, standardization: null };
  const p = predictModel(sigmoid, [2, -2], 2);
  expect(p.classIds).toEqual([1, 0]);
  const s = 1 / (1 + Math.exp(-2));
  expect(predictionsCsv(p, 2, ['no', 'yes'])).toBe(`class,p(no),p(yes)\nyes,${Number((1 - s).toPrecision(7))},${Number(s.toPrecision(7))}\nno,${Number((s).toPrecision(7))},${Number((1 - s).toPrecision(7))}\n`);
  // Softmax over 3 outputs of W = [1, 0, -1]ᵀ x: x = 1 is class 0; names with a comma are quoted.
  const softmax = { params: { sizes: [1, 3], W: [new Float64Array(0), Float64Array.of(1, 0, -1)], b: [new Float64Array(0), new Float64Array(3)] }, hidden: [], head: 'softmax' as const, standardization: null };
  const lines = predictionsCsv(predictModel(softmax, [1, -1], 2), 2, ['a,b', 'c', 'd']).trim().split('\n');
  expect(lines[0]).toBe('class,"p(a,b)",p(c),p(d)');
  expect(lines[1].startsWith('"a,b",')).toBe(true);
  expect(lines[2].startsWith('d,')).toBe(true);
  // A linear head with its standardization: (x − 10) / 2 → z = 3·that + 1.
  const linear = { params: { sizes: [1, 1], W: [new Float64Array(0), Float64Array.of(3)], b: [new Float64Array(0), Float64Array.of(1)] }, hidden: [], head: 'linear' as const, standardization: { mean: [10], std: [2] } };
  expect(predictionsCsv(predictModel(linear, [12, 8], 2), 2, null)).toBe('predicted\n4\n-2\n');
  expect([csvField('plain'), csvField('say "hi"'), csvField(' x')]).toEqual(['plain', '"say ""hi"""', '" x"']);
});

test('a file\'s columns meet the model: by header name in any order, the label optional and mapped to the model\'s classes; missing, extra and unknown labels named', () => {
  const model = { n0: 2, features: ['h', 'w'], target: 'label', classes: ['B', 'M'] };
  const byName = parseFeatureCsv('w,label,h\n80,M,170\n60,B,180\n', 'p.csv', model);
  expect([Array.from(byName.X), Array.from(byName.Y!)]).toEqual([[170, 180, 80, 60], [1, 0]]);
  expect(parseFeatureCsv('h,w\n1,2\n', 'p.csv', model).Y).toBeNull();
  // No header: by position, n0 columns or n0 + 1 with the label last.
  expect(Array.from(parseFeatureCsv('1,2,B\n', 'p.csv', model).Y!)).toEqual([0]);
  const reason = (text: string) => {
    try {
      parseFeatureCsv(text, 'p.csv', model);
    } catch (e) {
      expect(e).toBeInstanceOf(FileFormatError);
      return (e as FileFormatError).message;
    }
    throw new Error('accepted');
  };
  expect(reason('h,bmi\n1,2\n')).toBe('p.csv, line 1: the columns do not fit the model: missing "w"; extra "bmi" (the model takes "h", "w", and optionally "label")');
  expect(reason('1,2,3,4\n')).toBe('p.csv, line 1: found 4 columns; the model takes n0 = 2 features (or 3 columns with the label last)');
  expect(reason('h,w,label\n1,2,B\n3,4,X\n')).toBe('p.csv, line 3: column 3 ("label"): the label "X" is not one of the model\'s classes (B, M)');
  expect(reason('h,w\n1,oops\n')).toBe('p.csv, line 2: column 2 ("w"): "oops" is not a number');
});
