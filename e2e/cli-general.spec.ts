// `npm run train` with what the general trainer adds, end to end, each run with
// --runtime node (Dawn in the CLI's process: the browser's numbers bit for bit, as
// cli.spec.ts checks, without a browser to start): several classes and two hidden layers, regression,
// mini-batches with Adam against plain gradient descent, MNIST's ten digits for one
// epoch, CSV targets by task, standardization kept in model.json, and resuming
// from a model.json with the optimizer's state. Sizes are kept small for SwiftShader;
// `npm run train` with the MNIST recipe is measured in the README.
import { expect, test } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRng } from '../src/data/rng.ts';
import { parseModelJson } from '../src/model/model-json.ts';
import { expectSuccess, lastJson, runCliInNode } from './fixtures/cli.ts';

test('spiral with 3 classes and two hidden layers (relu 16,16, Adam) reaches ≥ 95 % training accuracy', async () => {
  const run = await runCliInNode(['--dataset', 'spiral', '--classes', '3', '--layers', '16,16', '--activation', 'relu', '--optimizer', 'adam',
    '--lr', '0.02', '--steps', '1500', '--init-scheme', 'he', '--json'], 120_000);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.sizes).toEqual([2, 16, 16, 3]);
  expect(r.head).toBe('softmax');
  expect(r.trainAccuracy).toBeGreaterThanOrEqual(0.95);
});

test('ripple regression with the linear head reaches R² ≥ 0.95 and prints RMSE, not accuracy', async () => {
  const run = await runCliInNode(['--dataset', 'ripple', '--head', 'linear', '--layers', '32', '--optimizer', 'adam', '--lr', '0.01',
    '--steps', '2000', '--init-scheme', 'xavier', '--json'], 120_000);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.sizes).toEqual([2, 32, 1]);
  expect(r.trainR2).toBeGreaterThanOrEqual(0.95);
  expect(r.trainRmse).toBeLessThan(0.12);
  expect(r.trainAccuracy).toBeNull();
  expect(run.stderr).not.toContain('acc ');
});

test('moons in mini-batches of 64 with a small learning rate: Adam ends clearly above plain gradient descent (20 epochs)', async () => {
  const common = ['--dataset', 'moons', '--hidden', '8', '--batch-size', '64', '--lr', '0.005', '--epochs', '20', '--init-scheme', 'xavier', '--json'];
  const [adam, sgd] = await Promise.all([runCliInNode([...common, '--optimizer', 'adam'], 120_000), runCliInNode([...common, '--optimizer', 'sgd'], 120_000)]);
  expectSuccess(adam);
  expectSuccess(sgd);
  const a = lastJson(adam);
  const s = lastJson(sgd);
  // 400 examples in batches of 64: 7 steps an epoch, the last of 16.
  expect(a.steps).toBe(140);
  expect(a.epochs).toBe(20);
  expect(a.examplesPerSecond).toBeGreaterThan(0);
  expect(a.trainAccuracy).toBeGreaterThan(s.trainAccuracy + 0.05);
  expect(a.cost).toBeLessThan(s.cost - 0.1);
});

test('mnist: 784-32-10 softmax, Adam, batches of 256 for one epoch on the tiled step (--variant tiled): ≥ 85 % on the 2,000 held-out digits, epochs, examples/s and --profile\'s kernels printed', async () => {
  const run = await runCliInNode(['--dataset', 'mnist', '--layers', '32', '--activation', 'relu', '--optimizer', 'adam', '--lr', '0.003',
    '--batch-size', '256', '--epochs', '1', '--init-scheme', 'he', '--variant', 'tiled', '--profile', '--json'], 180_000);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.sizes).toEqual([784, 32, 10]);
  expect(r.head).toBe('softmax');
  expect([r.m, r.testM]).toEqual([8000, 2000]);
  expect(r.steps).toBe(32);
  expect(r.epochs).toBe(1);
  expect(r.testAccuracy).toBeGreaterThanOrEqual(0.85);
  expect(r.examplesPerSecond).toBeGreaterThan(0);
  expect(r.variant).toBe('tiled');
  // --profile: every kernel of one step, timed; the products are the tiled ones, with vec4 loads (256 and 784 divide by 4).
  const kernels = (r.profile as { kernel: string; microseconds: number }[]).map((k) => k.kernel);
  expect(kernels).toEqual(expect.arrayContaining([
    'matmul_tiled(forward, relu, vec4 cols, vec4 inner)', 'matmul_tiled(dw, vec4 inner)', 'update(adam)', 'gather_columns', 'batch_indices',
  ]));
  expect((r.profile as { microseconds: number }[]).every((k) => k.microseconds > 0)).toBe(true);
});

/** A CSV of two features on very different scales (one in the thousands), labelled by a line through both. */
async function scaledCsv(file: string, target: (a: number, b: number) => number): Promise<void> {
  const rng = createRng(3);
  const rows = ['area,ratio,target'];
  for (let j = 0; j < 200; j++) {
    const a = rng.normal();
    const b = rng.normal();
    rows.push(`${(2000 + 800 * a).toFixed(2)},${(0.05 + 0.01 * b).toFixed(5)},${target(a, b)}`);
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, rows.join('\n') + '\n');
}

test('a CSV of class ids trains softmax with the task inferred and printed; --task regress fits the same column as numbers', async ({}, testInfo) => {
  const file = testInfo.outputPath('classes.csv');
  await scaledCsv(file, (a, b) => (a + b > 0.5 ? 2 : a + b > -0.5 ? 1 : 0));
  const run = await runCliInNode(['--data', file, '--standardize', '--optimizer', 'adam', '--lr', '0.05', '--steps', '300', '--json']);
  expectSuccess(run);
  expect(run.stderr).toContain('task: classify, 3 classes');
  expect(lastJson(run).sizes).toEqual([2, 4, 3]);
  expect(lastJson(run).trainAccuracy).toBeGreaterThan(0.9);
  const regress = await runCliInNode(['--data', file, '--task', 'regress', '--standardize', '--optimizer', 'adam', '--lr', '0.05', '--steps', '300', '--json']);
  expectSuccess(regress);
  expect(regress.stderr).not.toContain('task:');
  expect(lastJson(regress).head).toBe('linear');
  expect(lastJson(regress).trainR2).toBeGreaterThan(0.7);
});

test('a CSV is standardized by default: features on scales 1000× apart train where raw ones (--no-standardize) do not; the statistics go into model.json and --init reuses them', async ({}, testInfo) => {
  const file = testInfo.outputPath('scaled.csv');
  await scaledCsv(file, (a, b) => (b - 0.3 * a > 0 ? 1 : 0));
  const raw = await runCliInNode(['--data', file, '--no-standardize', '--lr', '0.5', '--steps', '300', '--json']);
  expectSuccess(raw);
  expect(raw.stderr).toContain('consider --standardize');
  const out = testInfo.outputPath('out');
  const std = await runCliInNode(['--data', file, '--lr', '0.5', '--steps', '300', '--out', out, '--json']);
  expectSuccess(std);
  expect(std.stderr).not.toContain('consider --standardize');
  expect(lastJson(std).trainAccuracy).toBeGreaterThan(0.95);
  expect(lastJson(std).trainAccuracy).toBeGreaterThan(lastJson(raw).trainAccuracy + 0.1);
  const model = parseModelJson(await readFile(join(out, 'model.json'), 'utf8'));
  expect(model.standardization!.mean[0]).toBeGreaterThan(1500);
  expect(model.standardization!.std[1]).toBeLessThan(0.02);
  // The saved model evaluated on the same raw file through --init: same cost at step 0.
  const again = await runCliInNode(['--data', file, '--init', join(out, 'model.json'), '--lr', '0.5', '--steps', '1', '--json']);
  expectSuccess(again);
  expect(lastJson(again).history[0].cost).toBeCloseTo(lastJson(std).cost, 5);
});

test('--save-state then --init resumes Adam exactly: 60 + 60 steps end where 120 steps end (blobs, 3 classes, batches of 50)', async ({}, testInfo) => {
  const common = ['--dataset', 'blobs', '--classes', '3', '--hidden', '6', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '50', '--json'];
  const whole = await runCliInNode([...common, '--steps', '120', '--out', testInfo.outputPath('whole')]);
  expectSuccess(whole);
  const out = testInfo.outputPath('half');
  const first = await runCliInNode([...common, '--steps', '60', '--save-state', '--out', out]);
  expectSuccess(first);
  const saved = parseModelJson(await readFile(join(out, 'model.json'), 'utf8'));
  expect(saved.optimizer!.state.t).toBe(60);
  const second = await runCliInNode([...common, '--steps', '60', '--init', join(out, 'model.json'), '--out', testInfo.outputPath('second')]);
  expectSuccess(second);
  const end = parseModelJson(await readFile(join(testInfo.outputPath('second'), 'model.json'), 'utf8'));
  const wholeModel = parseModelJson(await readFile(join(testInfo.outputPath('whole'), 'model.json'), 'utf8'));
  expect(lastJson(second).cost).toBe(lastJson(whole).cost);
  for (let l = 1; l <= 2; l++) expect(Array.from(end.params.W[l])).toEqual(Array.from(wholeModel.params.W[l]));
});
