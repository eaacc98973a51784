// The general trainer's kernels against their float64 references
// (src/reference/ops.ts): each head's dZ = A − T and cost, softmax, the update
// rules, L2's two parts, and the mini-batch order and gather, at shapes that are not
// multiples of the workgroup size and m = 1. Tolerances as in kernels.spec.ts:
// elementwise 1e-6 + 1e-5 relative; sums of k terms a budget growing with k.
// Each test runs every shape of one kernel on one page (a page and its device cost
// seconds on SwiftShader), and its name lists the shapes.
import { expectClose } from '../src/testing/expect-close.ts';
import * as ref from '../src/reference/ops.ts';
import { batchExamples } from '../src/training/shuffle.ts';
import { ACTIVATIONS, type Head, type OptimizerKind } from '../src/types.ts';
import { kernelInputs, type KernelCase } from './fixtures/kernel-cases.ts';
import { call, expect, test } from './fixtures/page.ts';
import { check, type Out } from './fixtures/kernel-check.ts';


const HEAD_SHAPES: { head: Head; rows: number; cols: number }[] = [
  { head: 'sigmoid', rows: 3, cols: 65 },
  { head: 'softmax', rows: 10, cols: 257 },
  { head: 'softmax', rows: 2, cols: 1 },
  { head: 'softmax', rows: 3, cols: 1000 },
  { head: 'linear', rows: 1, cols: 1 },
  { head: 'linear', rows: 2, cols: 130 },
];

const shapes = (list: { head?: Head; rows: number; cols: number }[]) => list.map((c) => `${c.head ? `${c.head} ` : ''}${c.rows}×${c.cols}`).join(', ');

test(`a_minus_y matches dZ = A − T for every head (${shapes(HEAD_SHAPES)})`, async ({ harness }) => {
  for (const [s, { head, rows, cols }] of HEAD_SHAPES.entries()) {
    const c: KernelCase = { kernel: 'a_minus_y', head, rows, cols, seed: 200 + s };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    check(`a_minus_y(${head}) ${rows}×${cols}`, out, 'dZ', ref.aMinusY(input.A, input.Y, head, rows, cols), 1e-6, 1e-6);
  }
});

test(`cost matches J and its metric for every head, logits up to ±60 (${shapes(HEAD_SHAPES)})`, async ({ harness }) => {
  for (const [s, { head, rows, cols }] of HEAD_SHAPES.entries()) {
    const c: KernelCase = { kernel: 'cost', head, rows, cols, seed: 220 + s, scale: 20 };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const [J, metric] = ref.costAndMetric(input.Z, input.Y, head, rows, cols);
    const [gpuJ, gpuMetric] = out.metrics.values;
    const name = `cost(${head}) ${rows}×${cols}`;
    expect(Number.isFinite(gpuJ), `${name}: J is finite (${gpuJ})`).toBe(true);
    // Terms of size up to ~60 (and ~1800 for squared errors): float32 sums of them.
    expectClose([gpuJ], [J], { atol: 1e-5, rtol: 1e-5, name: `${name} J` });
    if (head === 'linear') expectClose([gpuMetric], [metric], { atol: 1e-5, rtol: 1e-5, name: `${name} MSE` });
    else expect(gpuMetric, `${name} accuracy`).toBe(Math.fround(metric));
  }
});

const SOFTMAX_SHAPES = [[10, 257, 1], [2, 1, 1], [7, 66, 40]];
test(`softmax_columns matches reference (${SOFTMAX_SHAPES.map(([r, c, sc]) => `${r}×${c} scale ${sc}`).join(', ')})`, async ({ harness }) => {
  for (const [s, [rows, cols, scale]] of SOFTMAX_SHAPES.entries()) {
    const c: KernelCase = { kernel: 'softmax_columns', rows, cols, seed: 240 + s, scale };
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    check(`softmax_columns ${rows}×${cols}`, out, 'A', ref.softmaxColumns(input.Z, rows, cols), 1e-6, 1e-5);
  }
});

const updates: { optimizer: OptimizerKind; n: number; clock: number; beta1?: number }[] = [
  { optimizer: 'sgd', n: 1, clock: 0 },
  { optimizer: 'momentum', n: 1, clock: 0 },
  { optimizer: 'momentum', n: 1001, clock: 7 },
  { optimizer: 'adam', n: 1, clock: 0 },
  { optimizer: 'adam', n: 1001, clock: 0 },
  { optimizer: 'adam', n: 257, clock: 4999 },
  { optimizer: 'adam', n: 65, clock: 3, beta1: 0 },
];

const updateName = (u: (typeof updates)[number]) => `${u.optimizer} n=${u.n} t=${u.clock + 1}${u.beta1 === 0 ? ' β1=0' : ''}`;
test(`update matches each rule and its state (${updates.map(updateName).join(', ')})`, async ({ harness }) => {
  for (const [s, u] of updates.entries()) {
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
    check(`update(${updateName(u)})`, out, 'P', expected, 2e-6, 2e-5);
  }
});

test('penalty_gradient and penalty_cost match dP + mask⊙(a·P + b·sign P) and Σ mask⊙(a·P² + b·|P|): L2 alone, L1 alone, both (n = 1, 1000, 70,001)', async ({ harness }) => {
  for (const [s, rows] of [1, 1000, 70_001].entries()) {
    for (const [l2, l1] of [[0.3, 0], [0, 0.07], [0.3, 0.07]]) {
      const f = { l2: Math.fround(l2), l1: Math.fround(l1) };
      const name = `n=${rows}, a=${l2}, b=${l1}`;
      const g: KernelCase = { kernel: 'penalty_gradient', rows, cols: 1, seed: 280 + s, alpha: l2, l1 };
      const gi = kernelInputs(g);
      check(`penalty_gradient ${name}`, (await call(harness, 'runKernel', g)) as Out, 'dP', ref.penaltyGradient(gi.P, gi.mask, gi.dP, f), 1e-6, 1e-6);
      const c: KernelCase = { kernel: 'penalty_cost', rows, cols: 1, seed: 290 + s, alpha: l2, l1 };
      const ci = kernelInputs(c);
      const out = (await call(harness, 'runKernel', c)) as Out;
      // It adds to metrics[0] (1.5 before) and leaves metrics[1].
      expectClose(out.metrics.values, [1.5 + ref.penaltyCostSum(ci.P, ci.mask, f), 0.25], { atol: 1e-6, rtol: 1e-5 * Math.log2(rows + 1), name: `penalty_cost ${name}` });
    }
  }
});

const batches: { m: number; B: number; clock: number; cols: number }[] = [
  { m: 1, B: 1, clock: 0, cols: 1 },
  { m: 10, B: 3, clock: 3, cols: 1 }, // the last, smaller batch of epoch 0
  { m: 1000, B: 64, clock: 17, cols: 64 },
  { m: 8000, B: 128, clock: 62, cols: 64 }, // epoch 0's last batch: 8000 − 62·128
  { m: 70_001, B: 1000, clock: 1234, cols: 1000 },
];

test(`batch_indices matches batchExamples and gather_columns the columns (${batches.map((b) => `m=${b.m} B=${b.B} t=${b.clock}`).join(', ')})`, async ({ harness }) => {
  for (const [s, b] of batches.entries()) {
    const expected = batchExamples(b.clock, b.m, b.B, 5 + s);
    expect(expected.length).toBe(b.cols);
    const c: KernelCase = { kernel: 'batch_indices', rows: 1, cols: b.cols, m: b.m, B: b.B, clock: b.clock, shuffleSeed: 5 + s, seed: 300 + s };
    const out = (await call(harness, 'runKernel', c)) as Out;
    expect(out.index.values, `indices m=${b.m} B=${b.B} t=${b.clock}`).toEqual(expected);
    const rows = 3;
    const g: KernelCase = { kernel: 'gather_columns', rows, cols: b.cols, m: b.m, B: b.B, clock: b.clock, shuffleSeed: 5 + s, seed: 310 + s };
    const gi = kernelInputs(g);
    check(`gather_columns m=${b.m}`, (await call(harness, 'runKernel', g)) as Out, 'out', ref.gatherColumns(gi.src, rows, b.m, expected), 0, 0);
  }
});

// The register-tiled products of the general 'tiled' step (shaders/matmul_tiled.wgsl.ts):
// 4×4 outputs per invocation, edges clamped; vec4 loads where the columns are a multiple
// of 4 (128, 8000). Budgets as kernels.spec.ts: 1e-6 per summed term of unit size.
const TILED: KernelCase[] = [
  ...ACTIVATIONS.flatMap((g, s): KernelCase[] => [
    { kernel: 'forward_layer', matmul: 'tiled', g, rows: 1, inner: 1, cols: 1, seed: 400 + s },
    { kernel: 'forward_layer', matmul: 'tiled', g, rows: 5, inner: 3, cols: 257, seed: 410 + s },
    { kernel: 'backward_tiled', g, rows: 1, inner: 1, cols: 1, seed: 420 + s },
    { kernel: 'backward_tiled', g, rows: 33, inner: 7, cols: 130, seed: 430 + s },
  ]),
  { kernel: 'forward_layer', matmul: 'tiled', g: 'relu', rows: 10, inner: 785, cols: 128, seed: 440, scale: 0.5 },
  { kernel: 'forward_layer', matmul: 'tiled', g: 'relu', rows: 129, inner: 784, cols: 128, seed: 443, scale: 0.5 },
  { kernel: 'forward_layer', matmul: 'tiled', g: 'sigmoid', rows: 3, inner: 4, cols: 4, seed: 444 },
  { kernel: 'forward_layer', matmul: 'tiled', g: 'tanh', rows: 7, inner: 33, cols: 130, seed: 441, scale: 40 },
  { kernel: 'backward_tiled', g: 'relu', rows: 129, inner: 10, cols: 8000, seed: 442 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 1, cols: 1, inner: 1, seed: 450 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 5, cols: 3, inner: 257, seed: 451 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 13, cols: 785, inner: 130, seed: 452 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 3, cols: 5, inner: 10_007, seed: 453 },
  // Sums of a multiple of 4 terms: both operands read as vec4s along the sum.
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 1, cols: 1, inner: 4, seed: 454 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 129, cols: 785, inner: 128, seed: 455 },
  { kernel: 'matmul_abt_scaled', matmul: 'tiled', rows: 7, cols: 33, inner: 10_008, seed: 456 },
];
const tiledName = (c: KernelCase) => `${c.kernel}${c.g ? `(${c.g})` : ''} ${c.rows}×${c.cols}·${c.inner}${c.scale ? ` scale ${c.scale}` : ''}`;

// The same products staged in workgroup memory (shaders/matmul_shared.wgsl.ts, the GPU
// path), forced here on SwiftShader: 64×64 output tiles, slabs of 16 terms, so shapes
// on both sides of 64 and 16 and sums over several BLOCKs; m = 1 and one-term sums.
const SHARED: KernelCase[] = [
  ...ACTIVATIONS.flatMap((g, s): KernelCase[] => [
    { kernel: 'forward_layer', matmul: 'shared', g, rows: 1, inner: 1, cols: 1, seed: 500 + s },
    { kernel: 'forward_layer', matmul: 'shared', g, rows: 65, inner: 17, cols: 130, seed: 510 + s },
    { kernel: 'backward_tiled', matmul: 'shared', g, rows: 1, inner: 1, cols: 1, seed: 520 + s },
    { kernel: 'backward_tiled', matmul: 'shared', g, rows: 33, inner: 7, cols: 129, seed: 530 + s },
  ]),
  { kernel: 'forward_layer', matmul: 'shared', g: 'relu', rows: 129, inner: 785, cols: 127, seed: 540, scale: 0.5 },
  { kernel: 'forward_layer', matmul: 'shared', g: 'tanh', rows: 7, inner: 33, cols: 1, seed: 541, scale: 40 },
  { kernel: 'backward_tiled', matmul: 'shared', g: 'relu', rows: 129, inner: 10, cols: 8001, seed: 542 },
  { kernel: 'matmul_abt_scaled', matmul: 'shared', rows: 1, cols: 1, inner: 1, seed: 550 },
  { kernel: 'matmul_abt_scaled', matmul: 'shared', rows: 5, cols: 3, inner: 257, seed: 551 },
  { kernel: 'matmul_abt_scaled', matmul: 'shared', rows: 65, cols: 785, inner: 130, seed: 552 },
  { kernel: 'matmul_abt_scaled', matmul: 'shared', rows: 3, cols: 5, inner: 10_007, seed: 553 },
];

/** Checks a tiled or shared product's outputs against the float64 reference. */
function checkProduct(kind: string, c: KernelCase, input: ReturnType<typeof kernelInputs>, out: Out): void {
  const inner = c.inner!;
  const budget = 1e-6 * (inner + 1) * (c.scale ?? 1) ** 2;
  const name = `${kind} ${tiledName(c)}`;
  if (c.kernel === 'forward_layer') {
    const e = ref.forwardLayer(c.g!, input.W, input.b, input.A_prev, c.rows, inner, c.cols);
    check(name, out, 'Z', e.Z, budget, 1e-5);
    check(name, out, 'A', e.A, 1e-6 + budget, 1e-5);
  } else if (c.kernel === 'backward_tiled') {
    const dA = ref.matmulAtb(input.W, input.dZ, c.rows, inner, c.cols);
    check(name, out, 'dZ_prev', ref.mulGPrime(c.g!, dA, input.Z_prev), budget, 1e-5);
  } else {
    check(name, out, 'dW', ref.matmulAbtScaled(input.dZ, input.A_prev, c.rows, c.cols, inner), 1e-6 * Math.sqrt(inner), 1e-5);
  }
}

for (const [kind, cases] of [['tiled', TILED], ['shared', SHARED]] as const) {
  test(`the ${kind} products match forward, dW and (Wᵀ·dZ) ⊙ g' (${cases.filter((c) => !c.g || c.g === 'relu').map(tiledName).join(', ')}; every activation)`, async ({ harness }) => {
    for (const c of cases) checkProduct(kind, c, kernelInputs(c), (await call(harness, 'runKernel', c)) as Out);
  });
}
