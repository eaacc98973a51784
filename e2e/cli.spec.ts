// `npm run train` end to end: the CLI runs as a subprocess (Node → Vite →
// headless Chromium → WebGPU) and its output, files and exit codes are checked.
// Runs are kept short because SwiftShader is slow; one test runs the defaults. Runs
// that test what is computed (--init, CSV data, divergence) use --runtime node:
// the same numbers bit for bit, checked below, without a browser to start.
import { expect, test } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseModelJson } from '../src/model/model-json.ts';
import { fromOnnx } from '../src/model/onnx.ts';
import { expectSuccess, lastJson, REPO, runCli, runCliInNode } from './fixtures/cli.ts';

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

// float32 has a 24-bit significand: two computations of the same float32 cost
// from the same parameters agree to a few ulps (2^-23 ≈ 1.2e-7 relative).
const FLOAT32_RTOL = 4 * 2 ** -23;

test('--json prints one JSON object last with cost, accuracy, timing, adapter and history (flower, 300 steps, log every 50)', async () => {
  const run = await runCli(['--steps', '300', '--log-every', '50', '--json']);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.steps).toBe(300);
  expect(r.cost).toBeGreaterThan(0);
  expect(r.cost).toBeLessThan(Math.LN2);
  expect(r.trainAccuracy).toBeGreaterThan(0.6);
  expect(r.trainAccuracy).toBeLessThanOrEqual(1);
  expect(r.seconds).toBeGreaterThan(0);
  expect(r.stepsPerSecond).toBeCloseTo(300 / r.seconds, 6);
  expect(typeof r.adapter).toBe('string');
  expect(r.adapter.length).toBeGreaterThan(0);
  expect(r.sizes).toEqual([2, 4, 1]);
  expect(r.history.map((h: { step: number }) => h.step)).toEqual([0, 50, 100, 150, 200, 250, 300]);
  // Course initialization (0.01·N(0,1)) gives A2 ≈ 0.5 everywhere, so J(0) ≈ ln 2.
  expect(Math.abs(r.history[0].cost - Math.LN2)).toBeLessThan(1e-3);
  // Gradient descent with this learning rate lowers the cost over the run.
  expect(r.history[6].cost).toBeLessThan(r.history[0].cost);
  expect(r.history[6].cost).toBeCloseTo(r.cost, 5);
  // The progress bar goes to stderr, never into stdout.
  expect(run.stdout).not.toContain('steps/s');
  expect(run.stderr).toContain('step 300/300');
});

test('--out writes model.json in the model format, model.onnx, history.json/.csv, a 480x480 boundary.png and summary.json (flower, 200 steps)', async ({}, testInfo) => {
  const out = testInfo.outputPath('out');
  const run = await runCli(['--steps', '200', '--out', out]);
  expectSuccess(run);
  // The human summary names what was written.
  expect(run.stdout).toContain('final cost');
  expect(run.stdout).toContain(join(out, 'model.json'));

  const model = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
  expect(Object.keys(model).sort()).toEqual(['W1', 'W2', 'activation', 'b1', 'b2', 'format', 'head', 'sizes', 'version']);
  expect(model.format).toBe('webgpu-shallow-trainer/model');
  expect(model.version).toBe(2);
  expect(model.head).toBe('sigmoid');
  expect(model.sizes).toEqual([2, 4, 1]);
  expect(model.activation).toBe('tanh');
  // W1 is (n1, n0) = 4 rows of 2; W2 is (n2, n1) = 1 row of 4; b1 has 4 entries, b2 one.
  expect(model.W1).toHaveLength(4);
  for (const row of model.W1) expect(row).toHaveLength(2);
  expect(model.W2).toHaveLength(1);
  expect(model.W2[0]).toHaveLength(4);
  expect(model.b1).toHaveLength(4);
  expect(model.b2).toHaveLength(1);
  for (const v of [...model.W1.flat(), ...model.W2.flat(), ...model.b1, ...model.b2]) {
    expect(Number.isFinite(v)).toBe(true);
  }
  // The same network as ONNX: the same float32 parameters, activation and head (e2e/onnx.spec.ts runs it).
  const onnx = fromOnnx(await readFile(join(out, 'model.onnx')));
  expect(onnx.params.sizes).toEqual([2, 4, 1]);
  expect([onnx.hidden, onnx.head]).toEqual([['tanh'], 'sigmoid']);
  expect(Array.from(onnx.params.W[1])).toEqual(model.W1.flat().map(Math.fround));
  expect(Array.from(onnx.params.b[2])).toEqual(model.b2.map(Math.fround));
  expect(() => parseModelJson(JSON.stringify(model), 'model.json')).not.toThrow();

  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  expect(history[0].step).toBe(0);
  expect(history[history.length - 1].step).toBe(200);
  // --log-every defaults to steps/100 = 2.
  expect(history[1].step).toBe(2);
  const csv = (await readFile(join(out, 'history.csv'), 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('step,cost,accuracy');
  expect(csv).toHaveLength(history.length + 1);
  const [step, cost, accuracy] = csv[csv.length - 1].split(',').map(Number);
  expect({ step, cost, accuracy }).toEqual(history[history.length - 1]);

  expect(pngSize(await readFile(join(out, 'boundary.png')))).toEqual({ width: 480, height: 480 });

  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  expect(summary).toMatchObject({ steps: 200, sizes: [2, 4, 1], activation: 'tanh', learningRate: 1.2, seed: 1 });
  expect(summary.cost).toBeCloseTo(history[history.length - 1].cost, 6);
});

test('--init starts where the saved run ended: J at step 0 equals the saved final J to float32 precision (flower, 150 + 1 steps)', async ({}, testInfo) => {
  const out = testInfo.outputPath('first');
  const first = await runCliInNode(['--steps', '150', '--out', out, '--json']);
  expectSuccess(first);
  const saved = lastJson(first);

  const again = await runCliInNode(['--init', join(out, 'model.json'), '--steps', '1', '--json']);
  expectSuccess(again);
  const resumed = lastJson(again);
  // Hidden size and activation came from the file.
  expect(resumed.sizes).toEqual([2, 4, 1]);
  expect(resumed.activation).toBe('tanh');
  const start = resumed.history[0];
  expect(start.step).toBe(0);
  expect(Math.abs(start.cost - saved.cost)).toBeLessThanOrEqual(FLOAT32_RTOL * saved.cost);
  expect(start.accuracy).toBe(saved.trainAccuracy);
});

test('--init with a conflicting --hidden exits 2 before training, naming both sizes', async ({}, testInfo) => {
  const file = testInfo.outputPath('model.json');
  await mkdir(dirname(file), { recursive: true });
  const model = { format: 'webgpu-shallow-trainer/model', version: 1, sizes: [2, 3, 1], activation: 'relu',
    W1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], b1: [0, 0, 0], W2: [[0.1, 0.2, 0.3]], b2: [0] };
  await writeFile(file, JSON.stringify(model));
  const run = await runCli(['--init', file, '--hidden', '4']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--hidden: expected 3 (the hidden sizes saved in');
  expect(run.stderr).toContain('got 4');
});

test('--data trains on a CSV with 3 features: sizes [3, 4, 1], no boundary picture (m=40, 100 steps)', async ({}, testInfo) => {
  const dir = testInfo.outputPath('csv');
  await mkdir(dir, { recursive: true });
  // Label 1 where x1 + x2 − x3 > 0: linearly separable, so accuracy rises fast.
  const rows = ['x1,x2,x3,label'];
  for (let j = 0; j < 40; j++) {
    const x = [Math.sin(j * 1.3), Math.cos(j * 0.7), Math.sin(j * 0.31 + 1)];
    rows.push(`${x.map((v) => v.toFixed(4)).join(',')},${x[0] + x[1] - x[2] > 0 ? 1 : 0}`);
  }
  const file = join(dir, 'points.csv');
  await writeFile(file, rows.join('\n') + '\n');
  const out = join(dir, 'out');
  const run = await runCliInNode(['--data', file, '--steps', '100', '--lr', '0.5', '--out', out, '--json']);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.m).toBe(40);
  expect(r.sizes).toEqual([3, 4, 1]);
  expect(r.steps).toBe(100);
  expect(r.cost).toBeLessThan(r.history[0].cost);
  expect(r.files.map((f: string) => f.slice(out.length + 1)).sort()).toEqual(
    ['history.csv', 'history.json', 'model.json', 'model.onnx', 'summary.json'],
  );
});

test('a malformed CSV exits 1 naming the file and the line, before a browser starts', async ({}, testInfo) => {
  const file = testInfo.outputPath('bad.csv');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, 'x1,x2,label\n0.5,1.5,1\n0.25,oops,0\n1,2,1\n');
  const run = await runCli(['--data', file]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`${file}, line 3`);
  expect(run.stderr).toContain('"oops" is not a number');
  expect(run.stderr).not.toContain('step 0/');
});

test('a learning rate far too large stops with a DivergenceError naming the step (relu, lr 1e6)', async () => {
  const run = await runCliInNode(['--steps', '2000', '--lr', '1e6', '--activation', 'relu', '--hidden', '50']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/error: DivergenceError: training diverged at step \d+ \(learning rate 1000000\)/);
  expect(run.stderr).toContain('--lr');
});

test('a bad option exits 2 naming the option, the expected and the actual value', async () => {
  const bad = await runCli(['--steps', 'ten']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--steps: expected a positive integer, got "ten"');
  expect(bad.stderr).toContain('--help');

  const unknown = await runCli(['--hiden=8']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('Unknown option --hiden=8. Did you mean --hidden?');
});

test('--help lists the options and exits 0', async () => {
  const run = await runCli(['--help']);
  expect(run.code).toBe(0);
  for (const option of ['--dataset', '--data', '--hidden', '--activation', '--lr', '--steps', '--init', '--out', '--json']) {
    expect(run.stdout).toContain(option);
  }
});

test("the defaults (flower, 4 tanh units, lr 1.2, 10000 steps) reach the course's ~90% training accuracy: cost 0.187421 and 92.50 %, as the README prints", async () => {
  test.setTimeout(180_000);
  const run = await runCli(['--json'], 170_000);
  expectSuccess(run);
  const r = lastJson(run);
  expect(r.steps).toBe(10_000);
  expect(r.history).toHaveLength(101); // every 100 steps, 0 and 10000 included
  // The course reports about 90% on its flower set; ours is the same recipe with
  // another random generator: these numbers, in either runtime (they agree bit for bit).
  expect(r.cost).toBeCloseTo(0.187421, 6);
  expect(r.trainAccuracy).toBeCloseTo(0.925, 6);
});

test('--out under an existing file, or onto one, exits 2 before training, naming the option, the path and the reason in words', async ({}, testInfo) => {
  const file = testInfo.outputPath('a-file');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, 'not a directory\n');
  const under = await runCli(['--steps', '5', '--out', join(file, 'run')]);
  expect(under.code).toBe(2);
  expect(under.stderr).toContain(`error: --out ${join(file, 'run')}: ${file} is a file, not a directory`);
  expect(under.stderr).not.toContain('step 0/');
  const onto = await runCli(['--steps', '5', '--out', file]);
  expect(onto.code).toBe(2);
  expect(onto.stderr).toContain(`error: --out ${file}: it exists and is a file, not a directory`);
});

test('a network far too large for the device (--hidden 100000000) is refused at once with what it needs, what the device allows and what fits', async () => {
  const started = Date.now();
  const run = await runCli(['--hidden', '100000000']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/error: InputError: sizes\[1\]: expected at most [\d,]+ units in layer 1 \(--hidden\/--layers\), fewer examples, or a larger maxMemoryBytes, got 100000000 \(/);
  expect(run.stderr).toMatch(/GiB/);
  expect(run.stderr).not.toContain('step 0/');
  // The browser's start and nothing more: no weights drawn, no buffer made.
  expect(Date.now() - started).toBeLessThan(30_000);
});

test('--runtime node trains in this Node process on Dawn: the same numbers, bit for bit, as the browser (spiral, 3 classes, 16-16 relu, Adam, batches of 64)', async () => {
  const args = ['--dataset', 'spiral', '--classes', '3', '--layers', '16,16', '--activation', 'relu', '--head', 'softmax', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '64', '--epochs', '5', '--json'];
  const [browser, node] = await Promise.all([runCli(args), runCli([...args, '--runtime', 'node'])]);
  expectSuccess(browser);
  expectSuccess(node);
  const [b, n] = [lastJson(browser), lastJson(node)];
  expect(n.adapter).toContain('Dawn in Node');
  expect(b.adapter).not.toContain('Dawn');
  expect(n.variant).toBe(b.variant);
  // The same kernels on the same adapter: every logged cost and every parameter agree exactly.
  expect(n.history).toEqual(b.history);
  expect(n.model).toEqual(b.model);
  expect(n.cost).toBe(b.cost);
});

test('--runtime node: --out writes a 480x480 boundary.png encoded in Node (flower, 50 steps)', async ({}, testInfo) => {
  const out = testInfo.outputPath('run');
  const run = await runCli(['--runtime', 'node', '--steps', '50', '--json', '--out', out], 170_000);
  expectSuccess(run);
  const png = await readFile(join(out, 'boundary.png'));
  expect(pngSize(png)).toEqual({ width: 480, height: 480 });
  expect(parseModelJson(await readFile(join(out, 'model.json'), 'utf8')).params.sizes).toEqual([2, 4, 1]);
});
