// Every fast step variant against the float64 reference (one step: the cost,
// every gradient and the update) at awkward shapes, m = 1 and sizes that are
// not multiples of the workgroup, and against its simple twin over 300 steps.
import { expect } from './fixtures/page.ts';
import { plain, randomData } from './fixtures/data.ts';
import { expectOneStepMatchesReference, test, train } from './fixtures/fast-step.ts';
import { initParameters } from '../src/model/init.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import type { Activation } from '../src/types.ts';
import type { FastCase } from './harness.ts';

const cases: { variant: 'lanes' | 'fused' | 'fused2'; sizes: number[]; activation: Activation; m: number }[] = [
  // 'lanes': SwiftShader's subgroups have 4 lanes, split into unit × example slices
  // 1 × 4 (n1 ≤ 16), 2 × 2 (n1 17..32) and 4 × 1 (wider); m not a multiple of the
  // example slices leaves lanes idle on the last example, and n1 = 5, 17, 70 leave
  // vec4 groups partly padded, 90 a lane with an empty group.
  { variant: 'lanes', sizes: [2, 4, 1], activation: 'tanh', m: 400 },
  { variant: 'lanes', sizes: [3, 5, 1], activation: 'tanh', m: 1 },
  { variant: 'lanes', sizes: [3, 5, 1], activation: 'relu', m: 257 },
  { variant: 'lanes', sizes: [3, 5, 1], activation: 'leaky-relu', m: 66 },
  { variant: 'lanes', sizes: [3, 5, 1], activation: 'sigmoid', m: 129 },
  { variant: 'lanes', sizes: [2, 64, 1], activation: 'tanh', m: 403 },
  { variant: 'lanes', sizes: [2, 70, 1], activation: 'relu', m: 2 },
  { variant: 'lanes', sizes: [1, 1, 1], activation: 'tanh', m: 3 },
  { variant: 'lanes', sizes: [13, 17, 1], activation: 'sigmoid', m: 1000 },
  { variant: 'lanes', sizes: [3, 20, 1], activation: 'leaky-relu', m: 5 },
  { variant: 'lanes', sizes: [4, 90, 1], activation: 'tanh', m: 301 },
  { variant: 'fused', sizes: [2, 4, 1], activation: 'tanh', m: 400 },
  { variant: 'fused', sizes: [3, 5, 1], activation: 'tanh', m: 1 },
  { variant: 'fused', sizes: [3, 5, 1], activation: 'relu', m: 257 },
  { variant: 'fused', sizes: [3, 5, 1], activation: 'leaky-relu', m: 65 },
  { variant: 'fused', sizes: [3, 5, 1], activation: 'sigmoid', m: 129 },
  { variant: 'fused', sizes: [2, 70, 1], activation: 'tanh', m: 131 },
  { variant: 'fused', sizes: [1, 1, 1], activation: 'tanh', m: 3 },
  { variant: 'fused2', sizes: [2, 70, 1], activation: 'tanh', m: 131 },
  { variant: 'fused2', sizes: [3, 9, 1], activation: 'relu', m: 1 },
  { variant: 'fused2', sizes: [5, 17, 1], activation: 'sigmoid', m: 1000 },
];

for (const { variant, sizes, activation, m } of cases) {
  const name = `${variant}, sizes=[${sizes}], ${activation}, m=${m}`;
  test(`one step: J, dW, db and the update match the float64 reference (${name})`, async ({ harness: fast }) => {
    const data = randomData(sizes[0], m, 7);
    await expectOneStepMatchesReference(fast, { variant, sizes, activation, data, params: initParameters(sizes, 'xavier', 3), name });
  });
}

for (const { variant, sizes, m } of [
  { variant: 'lanes', sizes: [2, 4, 1], m: 400 },
  { variant: 'lanes', sizes: [2, 33, 1], m: 97 },
  { variant: 'fused', sizes: [2, 4, 1], m: 400 },
  { variant: 'fused2', sizes: [2, 33, 1], m: 97 },
] as const) {
  test(`300 steps: ${variant} matches the simple variant's costs and parameters (sizes=[${sizes}], m=${m}, lr 1.2)`, async ({ harness: fast }) => {
    const data = randomData(sizes[0], m, 5);
    const c: FastCase = { variant, sizes: [...sizes], activation: 'tanh', learningRate: 1.2, data, parameters: plain(initParameters([...sizes], 'course', 1)), steps: 300, logEvery: 50 };
    const fastRun = await train(fast, c);
    const simple = await train(fast, { ...c, variant: 'simple' });
    // 300 float32 steps in two summation orders drift apart by ~1e-5 relative.
    expectClose(fastRun.history.map((h) => h.cost), simple.history.map((h) => h.cost), { atol: 1e-5, rtol: 1e-4, name: 'cost every 50 steps' });
    for (let l = 1; l <= 2; l++) expectClose(fastRun.after.W[l], simple.after.W[l], { atol: 1e-4, rtol: 1e-3, name: `W${l} after 300 steps` });
  });
}

for (const variant of ['lanes', 'fused'] as const) {
  test(`a diverging ${variant} step sets the status flag: train() throws DivergenceError (sizes=[2,4,1], lr 1e30)`, async ({ harness: fast }) => {
    const data = randomData(2, 50, 3);
    const c: FastCase = { variant, sizes: [2, 4, 1], activation: 'relu', learningRate: 1e30, data, parameters: plain(initParameters([2, 4, 1], 'he', 2)), steps: 100 };
    const error = await train(fast, c).then(() => 'no error', (e: Error) => e.message);
    expect(error).toMatch(/diverged/);
  });
}

test('a lanes run whose logits overflow while every parameter stays finite throws DivergenceError at its first step (sizes=[1,1,1], z2 = +inf)', async ({ harness: fast }) => {
  // relu, x = 3e38, W1 = 1, b1 = 0, W2 = 2: z2 = 6e38 = +inf in float32. y = 1 makes dz2 = σ(z2) − y = 0,
  // so every gradient is 0 and the parameters stay finite: only the checks on z2 and on the cost can see it.
  const c: FastCase = {
    variant: 'lanes', sizes: [1, 1, 1], activation: 'relu', learningRate: 0.1,
    data: { n0: 1, m: 3, X: [3e38, 3e38, 3e38], Y: [1, 1, 1] }, parameters: { W: [[], [1], [2]], b: [[], [0], [0]] }, steps: 3,
  };
  const error = await train(fast, c).then(() => 'no error', (e: Error) => e.message);
  expect(error).toMatch(/diverged at step 0\b.*the cost became non-finite/);
});

test('a lanes step whose update overflows a parameter while the cost is finite throws DivergenceError at that step (sizes=[1,1,1], W2 → −inf)', async ({ harness: fast }) => {
  // relu, x = 10, W1 = 1, b1 = 0, W2 = 1, b2 = 0, y = 0: z2 = 10, σ(z2) ≈ 1, so dW2 ≈ 10 and
  // W2 − 3e38·10 = −inf at step 0, whose cost is finite. Only the update's check sees step 0;
  // without it the next step's z2 = −inf would be reported as step 1 and a non-finite cost.
  const c: FastCase = {
    variant: 'lanes', sizes: [1, 1, 1], activation: 'relu', learningRate: 3e38,
    data: { n0: 1, m: 2, X: [10, 10], Y: [0, 0] }, parameters: { W: [[], [1], [1]], b: [[], [0], [0]] }, steps: 3,
  };
  const error = await train(fast, c).then(() => 'no error', (e: Error) => e.message);
  expect(error).toMatch(/diverged at step 0\b.*the update made a parameter non-finite/);
});

test('lanes refuses a network too wide for its unrolled code, naming the variant (sizes=[2,400,1])', async ({ harness: fast }) => {
  const c: FastCase = { variant: 'lanes', sizes: [2, 400, 1], activation: 'tanh', learningRate: 0.1, data: randomData(2, 10, 1), parameters: plain(initParameters([2, 400, 1], 'xavier', 1)), steps: 1 };
  const error = await train(fast, c).then(() => 'no error', (e: Error) => e.message);
  expect(error).toMatch(/variant.*lanes needs/);
});
