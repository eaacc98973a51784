// The general trainer's kernels against their float64 references
// (src/reference/ops.ts): each head's dZ = A − T and cost, softmax, the update
// rules, L2's two parts, and the mini-batch order and gather, at shapes that are not
// multiples of the workgroup size and m = 1. Tolerances as in kernels.spec.ts:
// elementwise 1e-6 + 1e-5 relative; sums of k terms a budget growing with k.
import { expectClose } from '../src/testing/expect-close.ts';
import * as ref from '../src/reference/ops.ts';
import { batchExamples } from '../src/training/shuffle.ts';
import type { Head, OptimizerKind } from '../src/types.ts';
import { kernelInputs, type KernelCase } from './fixtures/kernel-cases.ts';
import { call, expect, test } from './fixtures/page.ts';

type Out = Record<string, { indices: number[]; values: number[] }>;
const at = (full: ArrayLike<number>, o: { indices: number[] }) => o.indices.map((i) => full[i]);

function check(name: string, out: Out, key: string, expected: ArrayLike<number>, atol: number, rtol: number) {
  const o = out[key];
  expect(o.indices.length, `${name}: ${key} has some output`).toBeGreaterThan(0);
  expect(o.indices[o.indices.length - 1], `${name}: ${key} length`).toBe(expected.length - 1);
  expectClose(o.values, at(expected, o), { atol, rtol, name: `${name} ${key}` });
}

const HEAD_SHAPES: { head: Head; rows: number; cols: number }[] = [
  { head: 'sigmoid', rows: 3, cols: 65 },
  { head: 'softmax', rows: 10, cols: 257 },
  { head: 'softmax', rows: 2, cols: 1 },
  { head: 'softmax', rows: 3, cols: 1000 },
  { head: 'linear', rows: 1, cols: 1 },
  { head: 'linear', rows: 2, cols: 130 },
];

for (const [s, { head, rows, cols }] of HEAD_SHAPES.entries()) {
  test(`a_minus_y(${head}) matches dZ = A − T (rows=${rows}, cols=${cols})`, async ({ harness }) => {
    const c: KernelCase = { kernel: 'a_minus_y', head, rows, cols, seed: 200 + s };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    check(`a_minus_y(${head})`, out, 'dZ', ref.aMinusY(input.A, input.Y, head, rows, cols), 1e-6, 1e-6);
  });

  test(`cost(${head}) matches J and its metric (rows=${rows}, cols=${cols}, logits up to ±60)`, async ({ harness }) => {
    const c: KernelCase = { kernel: 'cost', head, rows, cols, seed: 220 + s, scale: 20 };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const [J, metric] = ref.costAndMetric(input.Z, input.Y, head, rows, cols);
    const [gpuJ, gpuMetric] = out.metrics.values;
    expect(Number.isFinite(gpuJ), `J is finite (${gpuJ})`).toBe(true);
    // Terms of size up to ~60 (and ~1800 for squared errors): float32 sums of them.
    expectClose([gpuJ], [J], { atol: 1e-5, rtol: 1e-5, name: `cost(${head}) J` });
    if (head === 'linear') expectClose([gpuMetric], [metric], { atol: 1e-5, rtol: 1e-5, name: 'MSE' });
    else expect(gpuMetric).toBe(Math.fround(metric));
  });
}

for (const [s, [rows, cols, scale]] of [[10, 257, 1], [2, 1, 1], [7, 66, 40]].entries()) {
  test(`softmax_columns matches reference (rows=${rows}, cols=${cols}, scale=${scale})`, async ({ harness }) => {
    const c: KernelCase = { kernel: 'softmax_columns', rows, cols, seed: 240 + s, scale };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    check('softmax_columns', out, 'A', ref.softmaxColumns(input.Z, rows, cols), 1e-6, 1e-5);
  });
}

const updates: { optimizer: OptimizerKind; n: number; clock: number; beta1?: number }[] = [
  { optimizer: 'sgd', n: 1, clock: 0 },
  { optimizer: 'momentum', n: 1, clock: 0 },
  { optimizer: 'momentum', n: 1001, clock: 7 },
  { optimizer: 'adam', n: 1, clock: 0 },
  { optimizer: 'adam', n: 1001, clock: 0 },
  { optimizer: 'adam', n: 257, clock: 4999 },
  { optimizer: 'adam', n: 65, clock: 3, beta1: 0 },
];

for (const [s, u] of updates.entries()) {
  test(`update(${u.optimizer}) matches the rule and its state (n=${u.n}, t=${u.clock + 1}${u.beta1 === 0 ? ', beta1=0' : ''})`, async ({ harness }) => {
    const c: KernelCase = { kernel: 'update', optimizer: u.optimizer, rows: u.n, cols: 1, seed: 260 + s, alpha: 0.05, clock: u.clock, beta1: u.beta1 };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const opt = { kind: u.optimizer, beta1: Math.fround(u.beta1 ?? 0.9), beta2: Math.fround(0.999), epsilon: Math.fround(1e-8) };
    const n = u.n;
    const state = [input.state.subarray(0, n), input.state.subarray(n, 2 * n)].slice(0, input.state.length / n);
    const e = ref.updateRule(opt, input.P, input.dP, state, Math.fround(0.05), u.clock + 1);
    const expected = new Float64Array(n * (1 + state.length));
    expected.set(e.P);
    e.state.forEach((st, k) => expected.set(st, (k + 1) * n));
    // Adam divides by √ŝ + ε: for tiny s the step is ~α, float32 keeps it to ~1e-6 relative;
    // β^t through pow(): 1e-5 relative at t = 5000.
    check(`update(${u.optimizer})`, out, 'P', expected, 2e-6, 2e-5);
  });
}

for (const [s, rows] of [1, 1000, 70_001].entries()) {
  test(`l2_gradient and l2_cost match dP + s·mask⊙P and s·Σ mask⊙P² (n=${rows})`, async ({ harness }) => {
    const g: KernelCase = { kernel: 'l2_gradient', rows, cols: 1, seed: 280 + s, alpha: 0.3 };
    const gi = kernelInputs(g);
    check('l2_gradient', (await call(harness, 'runKernel', g)) as Out, 'dP', ref.l2Gradient(gi.P, gi.mask, gi.dP, Math.fround(0.3)), 1e-6, 1e-6);
    const c: KernelCase = { kernel: 'l2_cost', rows, cols: 1, seed: 290 + s, alpha: 0.3 };
    const ci = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    // It adds to metrics[0] (1.5 before) and leaves metrics[1].
    expectClose(out.metrics.values, [1.5 + ref.l2CostSum(ci.P, ci.mask, Math.fround(0.3)), 0.25], { atol: 1e-6, rtol: 1e-5 * Math.log2(rows + 1), name: 'l2_cost' });
  });
}

const batches: { m: number; B: number; clock: number; cols: number }[] = [
  { m: 1, B: 1, clock: 0, cols: 1 },
  { m: 10, B: 3, clock: 3, cols: 1 }, // the last, smaller batch of epoch 0
  { m: 1000, B: 64, clock: 17, cols: 64 },
  { m: 8000, B: 128, clock: 62, cols: 64 }, // epoch 0's last batch: 8000 − 62·128
  { m: 70_001, B: 1000, clock: 1234, cols: 1000 },
];

for (const [s, b] of batches.entries()) {
  test(`batch_indices matches batchExamples and gather_columns the columns (m=${b.m}, B=${b.B}, t=${b.clock})`, async ({ harness }) => {
    const expected = batchExamples(b.clock, b.m, b.B, 5 + s);
    expect(expected.length).toBe(b.cols);
    const c: KernelCase = { kernel: 'batch_indices', rows: 1, cols: b.cols, m: b.m, B: b.B, clock: b.clock, shuffleSeed: 5 + s, seed: 300 + s };
    const out = (await call(harness, 'runKernel', c)) as Out;
    expect(out.index.values).toEqual(expected);
    const rows = 3;
    const g: KernelCase = { kernel: 'gather_columns', rows, cols: b.cols, m: b.m, B: b.B, clock: b.clock, shuffleSeed: 5 + s, seed: 310 + s };
    const gi = kernelInputs(g);
    check('gather_columns', (await call(harness, 'runKernel', g)) as Out, 'out', ref.gatherColumns(gi.src, rows, b.m, expected), 0, 0);
  });
}
