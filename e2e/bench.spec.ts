// `npm run bench` end to end at tiny sizes: the table, the ratios, the JSON's
// shape, and the cost check failing when one contender's cost is wrong.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { checkAgreement, kernelFlops, ratios, targetFor, type BenchResult } from '../bench/report.ts';
import { parseSize } from '../bench/config.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function bench(args: string[], script = 'bench/run.ts'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const TINY = ['--sizes', '2-3-1@50,3-5-1@70', '--contenders', 'webgpu,webgpu-simple,jaxjs-webgpu,jaxjs-wasm,tfjs-cpu,js', '--min-seconds', '0.05'];

test('npm run bench at tiny sizes prints the table and ratios, writes JSON, and the costs agree, jax-js on webgpu and wasm among the contenders (2-3-1@50, 3-5-1@70)', async () => {
  test.setTimeout(180_000);
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'result.json');
  const run = await bench([...TINY, '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\| network, m \| data \| contender \| steps\/s \| ms\/step \| GFLOP\/s \| ÷ ceiling \|/);
  expect(run.stdout).toMatch(/\| 2-3-1, m = 50 \| flower \| webgpu \| [\d,.]+ \|/);
  expect(run.stdout).toMatch(/÷ js/);
  expect(run.stdout).toMatch(/Costs agree/);
  const json = JSON.parse(readFileSync(out, 'utf8')) as BenchResult & { agree: boolean };
  expect(json.agree).toBe(true);
  expect(json.adapter).toMatch(/\w/);
  expect(json.measurements).toHaveLength(12);
  for (const m of json.measurements) {
    expect(m.error, `${m.size} ${m.contender}`).toBeUndefined();
    expect(m.stepsPerSecond).toBeGreaterThan(0);
    expect(m.msPerStep).toBeCloseTo(1000 / m.stepsPerSecond, 6);
    expect(m.gflops).toBeGreaterThan(0);
    expect(m.checkSteps).toBe(parseSize(m.size).checkSteps);
    expect(Number.isFinite(m.checkCost)).toBe(true);
    expect(m.agrees).toBe(true);
  }
  expect(json.measurements.find((m) => m.contender === 'webgpu')!.detail).toMatch(/variant lanes/);
  // jax-js on both its devices: its grad under jit, the same cost as every other contender.
  expect(json.measurements.find((m) => m.contender === 'jaxjs-webgpu')!.detail).toBe('jax-js 0.1.25 webgpu, grad under jit');
  expect(json.measurements.find((m) => m.contender === 'jaxjs-wasm')!.detail).toBe('jax-js 0.1.25 wasm, grad under jit');
});

test('the cost check fails (exit 1, "DO NOT AGREE") when a contender reports a wrong cost (--corrupt webgpu, 2-3-1@50)', async () => {
  test.setTimeout(120_000);
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'result.json');
  const run = await bench(['--sizes', '2-3-1@50', '--contenders', 'webgpu,js', '--min-seconds', '0.05', '--corrupt', 'webgpu', '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/DO NOT AGREE/);
  expect(run.stdout).toMatch(/\| webgpu \|.*\*\*NO\*\*/);
  expect(JSON.parse(readFileSync(out, 'utf8')).agree).toBe(false);
});

test('checkAgreement compares with the plain-JS cost and ratios carry the issue targets (unit, no browser)', () => {
  const m = (contender: string, checkCost: number, stepsPerSecond: number) =>
    ({ size: '2-4-1', sizes: [2, 4, 1], m: 400, data: 'flower', contender, label: '', detail: '', checkSteps: 50, checkCost, steps: 1, seconds: 1, stepsPerSecond, msPerStep: 1000 / stepsPerSecond, gflops: 1 }) as BenchResult['measurements'][number];
  const result = { adapter: 'x', date: '', userAgent: '', config: { tolerance: 1e-3 } as BenchResult['config'], measurements: [m('js', 0.5, 100), m('webgpu', 0.5002, 1000), m('tfjs-webgpu', 0.6, 5)] };
  expect(checkAgreement(result)).toBe(false);
  expect(result.measurements.map((x) => x.agrees)).toEqual([true, true, false]);
  const r = ratios(result);
  // Issue 13: within 1.5× of plain JS at 2-4-1, at least its speed from 2-64-1 up; 10× TF.js webgpu on dense data.
  expect(r.find((x) => x.versus === 'js')).toMatchObject({ ratio: 10, target: 1 / 1.5, met: true });
  expect(r.find((x) => x.versus === 'tfjs-webgpu')).toMatchObject({ ratio: 200, target: 100, met: true });
  expect([targetFor('2-64-1', 'js'), targetFor('64-256-1@8192', 'js'), targetFor('784-128-1@10000:dense', 'tfjs-webgpu'), targetFor('784-128-1', 'tfjs-webgpu')]).toEqual([1, 1, 10, 20]);
});

test('kernelFlops: the products of a step of [n0, n1, 1] by kernel name, dense-equivalent for the sparse ones; none for the rest (unit)', () => {
  const [n0, n1, m] = [784, 128, 1000];
  expect(kernelFlops('matmul_tiled(forward, tanh, vec4 cols, vec4 inner)', [n0, n1, 1], m)).toBe(2 * n0 * n1 * m);
  expect(kernelFlops('matmul_shared(forward, sigmoid)', [n0, n1, 1], m)).toBe(2 * n1 * m);
  expect(kernelFlops('matmul_tiled(dw, vec4 inner)', [n0, n1, 1], m)).toBe(2 * n0 * n1 * m + 2 * n1 * m);
  expect(kernelFlops('forward_hidden_sparse(relu, examples reordered)', [n0, n1, 1], m)).toBe(2 * n0 * n1 * m);
  expect(kernelFlops('dw1_db1_sparse_update', [n0, n1, 1], m)).toBe(2 * n0 * n1 * m);
  expect(kernelFlops('sum_rows', [n0, n1, 1], m)).toBeUndefined();
  expect(kernelFlops('update(sgd)', [n0, n1, 1], m)).toBeUndefined();
});

test('npm run bench -- --runtime node: Dawn in this process, no browser; the adapter, its ceiling, ÷ ceiling per kernel, and the costs agree (2-3-1@50, 40-33-1@72:dense)', async () => {
  test.setTimeout(180_000);
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'node.json');
  const run = await bench(['--runtime', 'node', '--sizes', '2-3-1@50,40-33-1@72:dense', '--min-seconds', '0.05', '--profile', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Adapter: .*Dawn in Node/);
  expect(run.stdout).toMatch(/Adapter ceiling: [\d.,]+ GFLOP\/s/);
  expect(run.stdout).toMatch(/\| 40-33-1, m = 72 \| gaussian \| webgpu \| [\d,.]+ \| [\d,.]+ \| [\d,.]+ \| \d+ % \|/);
  expect(run.stdout).toMatch(/\| matmul_tiled\(dw, vec4 inner\) \| [\d.]+ \| [\d.]+ % \| [\d.]+ \| \d+ % \|/);
  const json = JSON.parse(readFileSync(out, 'utf8')) as BenchResult & { agree: boolean };
  expect(json.agree).toBe(true);
  expect(json.userAgent).toMatch(/^Node v/);
  expect(json.ceiling!.gflops).toBeGreaterThan(0);
  // TF.js is left out by default in Node; asked for, it is refused by name.
  expect(json.measurements.map((x) => x.contender)).toEqual(['webgpu', 'js', 'webgpu', 'js']);
  const refused = await bench(['--runtime', 'node', '--contenders', 'webgpu,tfjs-wasm']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--contenders: tfjs-wasm run in the browser runtime only');
});

test('npm run bench:loads times one matmul with W read six ways, and every way that reads W gives the same Z (n0=40, n1=64, m=70)', async () => {
  test.setTimeout(120_000);
  const out = join(mkdtempSync(join(tmpdir(), 'loads-')), 'loads.json');
  const run = await bench(['--n0', '40', '--n1', '64', '--m', '70', '--repeats', '1', '--out', out], 'bench/loads-run.ts');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\| W read as \| ms \| ÷ gathers \(time\) \| Z agrees with gathers \|/);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { agree: boolean; rows: { variant: string; ms: number; maxRelDiff: number | null }[] };
  expect(json.agree).toBe(true);
  expect(json.rows.map((r) => r.variant)).toEqual(['gathers', 'no W loads', 'fixed-size', 'atomicLoad', 'workgroup', 'texture']);
  for (const r of json.rows) {
    expect(r.ms, r.variant).toBeGreaterThan(0);
    if (r.variant === 'gathers' || r.variant === 'no W loads') expect(r.maxRelDiff).toBeNull();
    else expect(r.maxRelDiff, r.variant).toBeLessThan(1e-5);
  }
});

test('npm run bench:runtimes at a small size: browser and Node side by side, start-up and steps/s, the same final cost (spiral, 200 steps)', async () => {
  test.setTimeout(240_000);
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'runtimes.json');
  const run = await bench(['--repeats', '1', '--cases', 'spiral', '--steps', '200', '--out', out], 'bench/runtimes.ts');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\| case \| runtime \| start-up s \| steps\/s \| node ÷ browser \(steps\/s\) \| final cost \|/);
  expect(run.stdout).toContain('Both runtimes end on the same cost in every case.');
  const json = JSON.parse(readFileSync(out, 'utf8'));
  expect(json.agree).toBe(true);
  expect(json.rows).toHaveLength(2);
  for (const r of json.rows) {
    expect(r.stepsPerSecond, `${r.case} ${r.runtime}`).toBeGreaterThan(0);
    expect(r.startupSeconds, `${r.case} ${r.runtime}`).toBeGreaterThan(0);
  }
  expect(json.runs.find((r: { runtime: string }) => r.runtime === 'node').adapter).toContain('Dawn in Node');
});

test('bench sizes: ":dense" asks for Gaussian data where the defaults would take real digits or the flower; a malformed size names the forms', () => {
  expect(parseSize('784-128-1').data).toBe('mnist');
  expect(parseSize('784-128-1@10000:dense')).toMatchObject({ data: 'random', m: 10_000, sizes: [784, 128, 1] });
  expect(parseSize('2-4-1:dense')).toMatchObject({ data: 'random', m: 1000 });
  expect(parseSize('64-256-1@8192').data).toBe('random');
  expect(() => parseSize('784-128-1:sparse')).toThrow('expected n0-n1-1, n0-n1-1@m or n0-n1-1@m:dense');
});

test('npm run bench:mnist at a small size: the same weights and batches give every contender (TF.js model.fit too) the same accuracy; table, ratios and JSON (784-16-10, 1 epoch)', async () => {
  test.setTimeout(240_000);
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'mnist.json');
  const run = await bench(['--epochs', '1', '--hidden', '16', '--contenders', 'webgpu,tfjs-wasm,tfjs-wasm-fit,js', '--out', out], 'bench/mnist-run.ts');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/\| contender \| s\/epoch \(median\) \| examples\/s \| epochs \| best test accuracy \| training time to 93\.00 % \|/);
  expect(run.stdout).toMatch(/tfjs-wasm: [\d.]+×/);
  const json = JSON.parse(readFileSync(out, 'utf8'));
  expect(json.rows.map((r: { contender: string }) => r.contender)).toEqual(['webgpu', 'tfjs-wasm', 'tfjs-wasm-fit', 'js']);
  expect(json.rows[2].detail).toContain('model.fit');
  for (const r of json.rows) {
    expect(r.error, r.contender).toBeNull();
    expect(r.epochs).toBe(1);
    expect(r.examplesPerSecond).toBeGreaterThan(0);
  }
  // One epoch from the same start on the same batches: float32 GPU, float32 TF.js and float64 JS agree on the test digits.
  const [ours, tfjs, fit, js] = json.rows.map((r: { best: number }) => r.best);
  expect(ours).toBeGreaterThan(0.6);
  expect(Math.abs(tfjs - ours)).toBeLessThan(0.01);
  expect(Math.abs(fit - ours)).toBeLessThan(0.01);
  expect(Math.abs(js - ours)).toBeLessThan(0.01);
});
