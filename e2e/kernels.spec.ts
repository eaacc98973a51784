// Each WGSL kernel against its float64 reference (src/reference/ops.ts) in a real
// headless Chromium with WebGPU, at shapes that are not multiples of the
// workgroup size, m = 1, and sizes whose dispatch needs a 2-D grid.
//
// Tolerances: the GPU works in float32 (unit roundoff 6e-8). Elementwise kernels
// get atol 1e-6 + rtol 1e-5 (a few roundings; exp/tanh builtins are allowed some
// ulps). Kernels that sum k terms of unit size get an error budget growing with
// k: atol = 1e-6·k·scale², still far below any real bug (which is O(1)).
import { expectClose } from '../src/testing/expect-close.ts';
import * as ref from '../src/reference/ops.ts';
import { ACTIVATIONS } from '../src/types.ts';
import { WORKGROUP_SIZE } from '../src/gpu/constants.ts';
import { kernelInputs, type KernelCase } from './fixtures/kernel-cases.ts';
import { call, expect, test } from './fixtures/page.ts';
import { check, type Out } from './fixtures/kernel-check.ts';


const title = (c: KernelCase) =>
  `${c.kernel}${c.g ? `(${c.g})` : ''} matches reference (rows=${c.rows}, cols=${c.cols}${c.inner !== undefined ? `, inner=${c.inner}` : ''}${c.scale ? `, scale=${c.scale}` : ''})`;

const forwardCases: KernelCase[] = ACTIVATIONS.flatMap((g, s) => [
  { kernel: 'forward_layer', g, rows: 5, inner: 3, cols: 257, seed: 10 + s } as KernelCase,
  { kernel: 'forward_layer', g, rows: 1, inner: 1, cols: 1, seed: 20 + s },
  { kernel: 'forward_layer', g, rows: 7, inner: 33, cols: 130, seed: 30 + s, scale: 0.5 },
  { kernel: 'forward_layer', g, rows: 4, inner: 2, cols: 65, seed: 40 + s, scale: 40 },
]);

for (const c of forwardCases) {
  test(title(c), async ({ harness }) => {
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const e = ref.forwardLayer(c.g!, input.W, input.b, input.A_prev, c.rows, c.inner!, c.cols);
    const budget = 1e-6 * (c.inner! + 1) * (c.scale ?? 1) ** 2;
    check(title(c), out, 'Z', e.Z, budget, 1e-5);
    check(title(c), out, 'A', e.A, 1e-6 + budget, 1e-5);
  });
}

// g(z) at every magnitude, with a relative tolerance: tanh is computed from e^(−2|z|)
// and its Taylor series near 0 (activations.wgsl.ts); SwiftShader's builtin tanh was
// off by up to 190 % for |z| < 1e-7, which an absolute tolerance would not see.
for (const [s, g] of ACTIVATIONS.entries()) {
  const c: KernelCase = { kernel: 'forward_layer', g, rows: 1, inner: 1, cols: 4001, seed: 95 + s, sweep: true };
  test(`forward_layer(${g}) is within 2e-6 relative of g(z) for z = 0, ±1e-9 … ±40`, async ({ harness }) => {
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const e = ref.forwardLayer(g, input.W, input.b, input.A_prev, 1, 1, c.cols);
    check(`${g} sweep`, out, 'Z', e.Z, 0, 0);
    check(`${g} sweep`, out, 'A', e.A, 1e-37, 2e-6);
  });
}

const elementwise: KernelCase[] = [
  { kernel: 'a_minus_y', rows: 1, cols: 1, seed: 1 },
  { kernel: 'a_minus_y', rows: 1, cols: 257, seed: 2 },
  { kernel: 'a_minus_y', rows: 3, cols: 1000, seed: 3 },
  ...ACTIVATIONS.flatMap((g, s): KernelCase[] => [
    { kernel: 'mul_g_prime', g, rows: 1, cols: 1, seed: 50 + s },
    { kernel: 'mul_g_prime', g, rows: 5, cols: 257, seed: 60 + s, scale: 3 },
  ]),
  { kernel: 'sgd_update', rows: 1, cols: 1, seed: 4, alpha: 1.2 },
  { kernel: 'sgd_update', rows: 1, cols: 1001, seed: 5, alpha: 0.5 },
];

for (const c of elementwise) {
  test(title(c), async ({ harness }) => {
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    if (c.kernel === 'a_minus_y') check(title(c), out, 'dZ', ref.aMinusY(input.A, input.Y), 1e-6, 1e-6);
    if (c.kernel === 'mul_g_prime') check(title(c), out, 'dZ', ref.mulGPrime(c.g!, input.dA, input.Z), 1e-6, 1e-5);
    if (c.kernel === 'sgd_update') check(title(c), out, 'P', ref.sgdUpdate(input.P, input.dP, Math.fround(c.alpha!)), 1e-6, 1e-6);
  });
}

const reductions: KernelCase[] = [
  { kernel: 'matmul_abt_scaled', rows: 1, cols: 1, inner: 1, seed: 70 },
  { kernel: 'matmul_abt_scaled', rows: 5, cols: 3, inner: 257, seed: 71 },
  { kernel: 'matmul_abt_scaled', rows: 7, cols: 33, inner: 1000, seed: 72 },
  // Past SERIAL_DW_MAX_INNER examples the sum spreads over a workgroup per entry (the other kernel).
  { kernel: 'matmul_abt_scaled', rows: 3, cols: 5, inner: 10_007, seed: 69 },
  { kernel: 'matmul_atb', rows: 1, cols: 1, inner: 1, seed: 73 },
  { kernel: 'matmul_atb', rows: 5, cols: 257, inner: 1, seed: 74 },
  { kernel: 'matmul_atb', rows: 33, cols: 130, inner: 7, seed: 75 },
  { kernel: 'sum_rows', rows: 1, cols: 1, seed: 76 },
  { kernel: 'sum_rows', rows: 5, cols: 257, seed: 77 },
  { kernel: 'sum_rows', rows: 70, cols: 65, seed: 78 },
  { kernel: 'sum_rows', rows: 3, cols: 100_003, seed: 79 },
];

for (const c of reductions) {
  test(title(c), async ({ harness }) => {
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    if (c.kernel === 'matmul_abt_scaled') {
      // A mean of `inner` products: error ~ eps·inner·mean|term|, budget per term 1e-6.
      check(title(c), out, 'dW', ref.matmulAbtScaled(input.dZ, input.A_prev, c.rows, c.cols, c.inner!), 1e-6 * Math.sqrt(c.inner!), 1e-5);
    }
    if (c.kernel === 'matmul_atb') {
      check(title(c), out, 'dA_prev', ref.matmulAtb(input.W, input.dZ, c.rows, c.inner!, c.cols), 1e-6 * c.inner!, 1e-5);
    }
    if (c.kernel === 'sum_rows') {
      check(title(c), out, 'db', ref.sumRows(input.dZ, c.rows, c.cols), 1e-6 * Math.sqrt(c.cols), 1e-5);
    }
  });
}

const costCases: KernelCase[] = [
  { kernel: 'cost', rows: 1, cols: 1, seed: 80 },
  { kernel: 'cost', rows: 1, cols: 257, seed: 81 },
  { kernel: 'cost', rows: 1, cols: 100_003, seed: 82, scale: 3 },
  // Saturated logits, |z| up to ~800: σ(z) is exactly 0 or 1 in float32, and
  // the naive −[y log a + (1−y) log(1−a)] would be infinite.
  { kernel: 'cost', rows: 1, cols: 1000, seed: 83, scale: 200 },
];

for (const c of costCases) {
  test(title(c), async ({ harness }) => {
    const input = kernelInputs(c);
    const out = (await call(harness, 'runKernel', c)) as Out;
    const [J, accuracy] = ref.costAndAccuracy(input.Z, input.Y, c.cols);
    const [gpuJ, gpuAccuracy] = out.metrics.values;
    expect(Number.isFinite(gpuJ), `J is finite (${gpuJ})`).toBe(true);
    expectClose([gpuJ], [J], { atol: 1e-6, rtol: 1e-4, name: `${title(c)} J` });
    expect(gpuAccuracy).toBe(Math.fround(accuracy));
  });
}

test('dispatches past 65,535 workgroups fold into a 2-D grid (a_minus_y, rows=1, cols=4,300,001)', async ({ harness }) => {
  const c: KernelCase = { kernel: 'a_minus_y', rows: 1, cols: 4_300_001, seed: 90 };
  expect(c.cols / WORKGROUP_SIZE).toBeGreaterThan(65_535);
  const input = kernelInputs(c);
  const out = (await call(harness, 'runKernel', c)) as Out;
  expect(out._grid.values[1], 'grid y').toBeGreaterThan(1);
  check(title(c), out, 'dZ', ref.aMinusY(input.A, input.Y), 1e-6, 1e-6);
});

test('forward_layer(tanh) at m = 1,500,001 uses a 2-D grid and matches reference (rows=3, inner=2)', async ({ harness }) => {
  const c: KernelCase = { kernel: 'forward_layer', g: 'tanh', rows: 3, inner: 2, cols: 1_500_001, seed: 91 };
  const input = kernelInputs(c);
  const out = (await call(harness, 'runKernel', c)) as Out;
  expect(out._grid.values[1], 'grid y').toBeGreaterThan(1);
  const e = ref.forwardLayer('tanh', input.W, input.b, input.A_prev, c.rows, c.inner!, c.cols);
  check(title(c), out, 'Z', e.Z, 1e-5, 1e-5);
  check(title(c), out, 'A', e.A, 1e-5, 1e-5);
});
