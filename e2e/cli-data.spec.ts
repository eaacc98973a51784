// Your own data through `npm run train` and `npm run predict` (README, "Your own
// data"): text labels with a separate test file, its metrics in --json and in
// every tested history point, the classes and columns in model.json, predictions
// that equal trainer.predict on the same rows; an integer target over a wide
// range trains as a regression; bad files fail naming the file, the line or the
// column, and --init keeps its model's standardization. Runs use --runtime node (Dawn in the CLI's process).
import { expect, test } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '../src/data/rng.ts';
import { initParameters } from '../src/model/init.ts';
import { parseModelJson, toModelJson } from '../src/model/model-json.ts';
import { requestGpu, Trainer } from '../src/node.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import { expectSuccess, lastJson, runCli, runCliInNode } from './fixtures/cli.ts';

/** A tumour-like table: size (mm, hundreds) and texture (0.0x), the label "M" or "B" by a line through both. */
function cancerRows(m: number, seed: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: m }, () => {
    const [a, b] = [rng.normal(), rng.normal()];
    return `${(400 + 150 * a).toFixed(1)},${(0.05 + 0.01 * b).toFixed(4)},${a + b > 0.3 ? 'M' : 'B'}`;
  });
}

test('text labels with --test-data: the test metrics in --json and the history, the classes and columns in model.json, and npm run predict equals trainer.predict on the same rows', async ({}, testInfo) => {
  const dir = testInfo.outputPath('cancer');
  await mkdir(dir, { recursive: true });
  const [train, testFile, out] = [join(dir, 'train.csv'), join(dir, 'test.csv'), join(dir, 'out')];
  const header = 'size,texture,diagnosis';
  await writeFile(train, [header, ...cancerRows(240, 1)].join('\n') + '\n');
  await writeFile(testFile, [header, ...cancerRows(61, 2)].join('\n') + '\n');
  const run = await runCliInNode(['--data', train, '--test-data', testFile, '--layers', '8', '--optimizer', 'adam', '--lr', '0.05', '--steps', '200', '--out', out, '--json']);
  expectSuccess(run);
  expect(run.stderr).toContain('task: classify, 2 classes (column 3 ("diagnosis") holds text labels: B → 0, M → 1)');
  // Standardized by default: sizes in the hundreds and textures in hundredths train.
  expect(run.stderr).not.toContain('consider --standardize');
  const r = lastJson(run);
  expect([r.standardize, r.testData, r.testM, r.classes]).toEqual([true, testFile, 61, ['B', 'M']]);
  expect(r.testAccuracy).toBeGreaterThan(0.9);
  // Every logged point of a small test set is tested (the last one is the final evaluation).
  expect(r.history.length).toBeGreaterThan(50);
  for (const h of r.history) expect([typeof h.testCost, typeof h.testAccuracy]).toEqual(['number', 'number']);
  expect(r.history[r.history.length - 1].testAccuracy).toBe(r.testAccuracy);
  // The confusion matrices: rows actual, columns predicted; the diagonal is the accuracy.
  const { train: cTrain, test: cTest } = r.confusion as { train: number[][]; test: number[][] };
  expect(cTest.flat().reduce((a, b) => a + b)).toBe(61);
  expect((cTest[0][0] + cTest[1][1]) / 61).toBeCloseTo(r.testAccuracy, 6);
  expect((cTrain[0][0] + cTrain[1][1]) / 240).toBeCloseTo(r.trainAccuracy, 6);
  const modelText = await readFile(join(out, 'model.json'), 'utf8');
  const model = parseModelJson(modelText);
  expect(model.names).toEqual({ classes: ['B', 'M'], features: ['size', 'texture'], target: 'diagnosis' });
  expect((await readFile(join(out, 'history.csv'), 'utf8')).split('\n')[0]).toBe('step,cost,accuracy,testCost,testAccuracy');

  const predictions = join(dir, 'predictions.csv');
  const predicted = await runCli(['--model', join(out, 'model.json'), '--data', testFile, '--out', predictions], 60_000, 'cli/predict.ts');
  expectSuccess(predicted);
  expect(predicted.stderr).toContain(`accuracy on the file's labels: ${(100 * r.testAccuracy).toFixed(2)}%`);
  const lines = (await readFile(predictions, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('class,p(B),p(M)');
  expect(lines.length).toBe(62);
  // The same rows through the trainer on the GPU, from the saved parameters and standardization.
  const rows = (await readFile(testFile, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  const X = Float32Array.from([...rows.map((f) => Number(f[0])), ...rows.map((f) => Number(f[1]))]);
  const { device } = await requestGpu();
  const trainer = await Trainer.create(device, { sizes: model.params.sizes, activation: model.hidden, head: model.head, learningRate: 0.05, parameters: model.params, standardize: model.standardization! }, { name: 'test', n0: 2, m: 61, X, Y: new Float32Array(61) });
  try {
    const a = await trainer.predict(X, 61);
    const pM = lines.slice(1).map((l) => Number(l.split(',')[2]));
    expectClose(pM, a, { atol: 1e-6, rtol: 1e-5, name: 'p(M) of npm run predict against trainer.predict' });
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(Array.from(a, (v) => (v > 0.5 ? 'M' : 'B')));
  } finally {
    trainer.destroy();
    device.destroy();
  }
});

test('an integer target from 25 to 346 (diabetes-like) trains as a regression with a note and its test RMSE and R²; bad files are named before any GPU work', async ({}, testInfo) => {
  const dir = testInfo.outputPath('diabetes');
  await mkdir(dir, { recursive: true });
  const rng = createRng(5);
  const rows = ['bmi,bp,progression'];
  for (let j = 0; j < 220; j++) {
    const [a, b] = [rng.normal(), rng.normal()];
    rows.push(`${(26 + 4 * a).toFixed(1)},${(95 + 14 * b).toFixed(0)},${Math.round(Math.min(346, Math.max(25, 150 + 60 * a + 30 * b + 10 * rng.normal())))}`);
  }
  const file = join(dir, 'diabetes.csv');
  await writeFile(file, rows.join('\n') + '\n');
  const run = await runCliInNode(['--data', file, '--test-split', '0.2', '--layers', '8', '--optimizer', 'adam', '--lr', '0.01', '--steps', '150', '--json']);
  expectSuccess(run);
  expect(run.stderr).toMatch(/task: regress \(column 3 \("progression"\): integers \d+–\d+, \d+ distinct values: not class ids 0\.\.K−1, and more than 10\); --task classify makes them classes/);
  const r = lastJson(run);
  expect([r.head, r.sizes, r.testM]).toEqual(['linear', [2, 8, 1], 44]);
  expect(typeof r.testRmse).toBe('number');
  expect(typeof r.testR2).toBe('number');
  expect(r.history[0].testRmse).toBeGreaterThan(r.testRmse);

  // A test file with other columns, and a text target under --task regress: exit 1, the file and what differs named, no stack.
  const other = join(dir, 'other.csv');
  await writeFile(other, 'bmi,age,progression\n26,50,151\n');
  const bad = await runCli(['--data', file, '--test-data', other]);
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe(`error: ${other}, line 1: the columns differ from the training file's: missing "bp"; extra "age"`);
  const text = join(dir, 'text.csv');
  await writeFile(text, 'x,y\n1,low\n2,high\n');
  const regress = await runCli(['--data', text, '--task', 'regress']);
  expect(regress.code).toBe(1);
  expect(regress.stderr.trim()).toBe(`error: ${text}, line 2: column 2 ("y"): "low" is not a number, and a regression target must be a number`);
  // A model trained on raw features keeps them raw under --init; asking otherwise is a usage error.
  const raw = join(dir, 'raw.json');
  await writeFile(raw, JSON.stringify(toModelJson(initParameters([2, 8, 1], 'xavier', 1), 'tanh', { head: 'linear' })));
  const conflict = await runCli(['--data', file, '--init', raw, '--standardize']);
  expect(conflict.code).toBe(2);
  expect(conflict.stderr.trim()).toBe(`error: --standardize does not apply with --init: ${raw} was trained on features as they are; leave the option out`);
});
