// The 'tiled' step variant (the general register-tiled products) against the float64
// reference (one step: the cost, the accuracy, every gradient and the updated parameters)
// at shapes that are not multiples of its 4×4 tiles or its workgroup, m = 1, all four
// activations, very tall and very wide layers; the 'sparse' one (the seed's fused kernels
// with lists of X's nonzeros) on mostly-zero X, at row counts not multiples of their row
// blocks, example counts not multiples of their blocks, empty examples and empty rows of X;
// tiled against its simple twin over 200 steps; and a diverging run that must end in DivergenceError.
import { expect, onFallbackAdapterOnly } from './fixtures/page.ts';
import { plain, randomData } from './fixtures/data.ts';
import { expectOneStepMatchesReference, test, train } from './fixtures/fast-step.ts';
import { createRng } from '../src/data/rng.ts';
import { initParameters } from '../src/model/init.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import * as ref from '../src/reference/network.ts';
import type { Activation } from '../src/types.ts';
import type { FastCase } from './harness.ts';

/**
 * randomData with about `zeros` of X set to exactly 0 (the tiled step then uses its
 * sparse kernels: 1 − 0.9⁴ = 34 % of its blocks of 4 examples are nonzero in a line of X,
 * below SPARSE_MAX_FILL), example 0 all zeros when m > 1, and the last row of X all
 * zeros: lists of length 0 when n0 or m is small.
 */
function sparseData(n0: number, m: number, seed: number, zeros = 0.9) {
  const data = randomData(n0, m, seed);
  const rng = createRng(seed + 100);
  const X = data.X.map((x, i) => {
    const [k, j] = [Math.floor(i / m), i % m];
    return (m > 1 && j === 0) || (n0 > 1 && k === n0 - 1) || rng.uniform() < zeros ? 0 : x;
  });
  return { ...data, X };
}

/**
 * Sparse data whose examples alternate between two patterns: example j is nonzero
 * only in inputs k ≡ j (mod 2), at 30 % of them. The given order puts both patterns
 * in every block of 4 examples, so the tiled step reorders the examples for its forward.
 */
function twoPatternData(n0: number, m: number, seed: number) {
  const data = randomData(n0, m, seed);
  const rng = createRng(seed + 200);
  const X = data.X.map((x, i) => (Math.floor(i / m) % 2 === (i % m) % 2 && rng.uniform() < 0.3 ? x : 0));
  return { ...data, X };
}

const cases: { sizes: number[]; activation: Activation; m: number; why: string; sparse?: boolean; zeros?: number; reordered?: boolean }[] = [
  { sizes: [3, 5, 1], activation: 'tanh', m: 1, why: 'one example' },
  { sizes: [3, 5, 1], activation: 'relu', m: 257, why: 'm one past a multiple of 4·64' },
  { sizes: [1, 70, 1], activation: 'leaky-relu', m: 33, why: 'n0 = 1, n1 not a multiple of 4' },
  { sizes: [33, 130, 1], activation: 'sigmoid', m: 257, why: 'n0 + 1 and n1 not multiples of 4' },
  { sizes: [33, 1, 1], activation: 'tanh', m: 100, why: 'one hidden unit' },
  { sizes: [784, 70, 1], activation: 'relu', m: 257, why: 'MNIST-wide input, several column groups in dW1' },
  { sizes: [784, 130, 1], activation: 'tanh', m: 300, why: 'MNIST-wide input, 2 row blocks short of a tile' },
  { sizes: [2, 4, 1], activation: 'tanh', m: 400, why: 'the flower shape' },
  // 270,000 hidden units: 67,500 row tiles of the forward and dW1 products.
  { sizes: [1, 270_000, 1], activation: 'tanh', m: 2, why: 'a very tall hidden layer' },
  // Sparse data: 90 % zeros. Row blocks of min(16, n1) rows, the last one shifted to end
  // at n1; blocks of 4 examples (the last one short when 4 ∤ m) and of 4 rows of [X; 1ᵀ]
  // (the one with the row of ones short when 4 ∤ n0 + 1).
  { sizes: [3, 5, 1], activation: 'tanh', m: 1, why: 'sparse, one example', sparse: true },
  { sizes: [1, 70, 1], activation: 'leaky-relu', m: 33, why: 'sparse, n0 = 1, 5 row blocks, the last overlapping', sparse: true },
  { sizes: [33, 130, 1], activation: 'sigmoid', m: 257, why: 'sparse, n1 = 130: 9 row blocks', sparse: true },
  { sizes: [33, 1, 1], activation: 'relu', m: 100, why: 'sparse, one hidden unit', sparse: true },
  { sizes: [5, 6, 1], activation: 'relu', m: 10, why: 'sparse, X all zeros: only the row of ones has entries', sparse: true, zeros: 1 },
  { sizes: [784, 128, 1], activation: 'tanh', m: 302, why: 'sparse, MNIST-sized', sparse: true },
  { sizes: [784, 37, 1], activation: 'relu', m: 900, why: 'sparse, more than 256 entries in a list: blocked sums', sparse: true },
  // 25,001 blocks of examples, the last with one; the list of the one block of [X; 1ᵀ] has
  // every example (the row of ones). (The sparse kernels' 2-D grid needs more than 16.8M
  // examples, past the binding limit here; the other kernels' tests cover that indexing.)
  { sizes: [1, 1, 1], activation: 'tanh', m: 100_001, why: 'sparse, 100,001 examples', sparse: true },
  { sizes: [40, 20, 1], activation: 'relu', m: 103, why: 'sparse, two interleaved patterns: examples reordered for the forward', sparse: true, reordered: true },
  // 80 % zeros at random (59 % of the blocks of 4 examples nonzero in a line) is dense for the lists.
  { sizes: [40, 20, 1], activation: 'tanh', m: 101, why: '80 % zeros, too many nonzero blocks for the sparse kernels', zeros: 0.8 },
];

for (const { sizes, activation, m, why, sparse, zeros, reordered } of cases) {
  const name = `sizes=[${sizes}], ${activation}, m=${m}${reordered ? ', 85 % zeros' : sparse ? ', 90 % zeros' : ''}`;
  const variant = sparse ? 'sparse' : 'tiled';
  test(`one ${variant} step: J, accuracy, dW, db and the update match the float64 reference (${name}: ${why})`, async ({ harness: fast }) => {
    const data = reordered ? twoPatternData(sizes[0], m, 7) : sparse || zeros !== undefined ? sparseData(sizes[0], m, 7, zeros) : randomData(sizes[0], m, 7);
    const gpu = await expectOneStepMatchesReference(fast, { variant, sizes, activation, data, params: initParameters(sizes, 'xavier', 3), name });
    expect(gpu.variant).toBe(variant);
    // The sparse kernels ran for the sparse variant; the general products for the tiled one.
    const kernels = sparse ? ['forward_hidden_sparse', 'dw1_db1_sparse_update'] : ['matmul_tiled(forward', 'matmul_tiled(dw'];
    for (const k of kernels) expect(gpu.kernels.some((name) => name.startsWith(k))).toBe(true);
    // Two interleaved patterns: the forward's blocks took the examples in a new order.
    if (reordered) expect(gpu.kernels.some((name) => name.includes('examples reordered'))).toBe(true);
  });
}

// evaluate(test data) on a wide network runs the kernels auto would train that data with
// (not the simple kernels, ~10 s at 784-128-1 on 10,000 digits on SwiftShader): the sparse
// step's cost pass on mostly-zero X, the tiled forward products on dense X. J and the
// accuracy of the trained parameters on the test set match the float64 reference.
// A test set larger than the training set is split by its own size; past one binding, in chunks.
const evalCases: { sizes: number[]; activation: Activation; mTest: number; sparse: boolean; variant: 'sparse' | 'tiled' | 'plain'; maxBindingBytes?: number }[] = [
  { sizes: [784, 37, 1], activation: 'tanh', mTest: 333, sparse: true, variant: 'sparse' },
  // 41 examples: 0.77 MFLOP, past the small step's bound (a set of one is the small step's, evaluated with plain products).
  { sizes: [33, 130, 1], activation: 'relu', mTest: 41, sparse: false, variant: 'tiled' },
  { sizes: [33, 130, 1], activation: 'relu', mTest: 1, sparse: false, variant: 'plain' },
  { sizes: [2, 4, 1], activation: 'tanh', mTest: 101, sparse: false, variant: 'plain' },
  // (4, m) is the widest matrix: 97 examples per binding, the test set in 4 chunks: only the
  // general tiled step trains chunks, so its forward products run them.
  { sizes: [2, 4, 1], activation: 'sigmoid', mTest: 333, sparse: false, variant: 'tiled', maxBindingBytes: 4 * 4 * 97 },
];
for (const { sizes, activation, mTest, sparse, variant, maxBindingBytes } of evalCases) {
  test(`on a fallback adapter, evaluate(test set) runs the ${variant} kernels and matches the float64 reference (sizes=[${sizes}], ${activation}, m_test=${mTest}${sparse ? ', 90 % zeros' : ''}${maxBindingBytes ? ', in 4 chunks' : ''})`, async ({ harness: fast }) => {
    await onFallbackAdapterOnly(fast);
    const make = sparse ? sparseData : randomData;
    const data = make(sizes[0], 200, 7);
    const testSet = make(sizes[0], mTest, 8);
    const params = initParameters(sizes, 'xavier', 3);
    const gpu = await train(fast, { variant: 'auto', sizes, activation, learningRate: 0.5, data, parameters: plain(params), steps: 3, evaluate: testSet, maxBindingBytes });
    expect(gpu.evaluation!.variant).toBe(variant);
    const after = { sizes, W: gpu.after.W.map((w) => Float64Array.from(w)), b: gpu.after.b.map((b) => Float64Array.from(b)) };
    const cache = ref.forward(after, activation, testSet.X, mTest);
    expectClose([gpu.evaluation!.cost], [ref.cost(cache.Z[2], testSet.Y, mTest)], { atol: 1e-5, rtol: 1e-5, name: 'J on the test set' });
    expectClose([gpu.evaluation!.accuracy], [ref.accuracy(cache.A[2], testSet.Y)], { atol: 1e-6, rtol: 0, name: 'accuracy on the test set' });
  });
}

// The relu case runs at lr 0.5: at 1.2 its 37 units memorising random labels make the
// trajectory chaotic past step ~140, where the float64 reference and both float32
// variants part ways by ~0.002 in J, each summation order its own way (measured).
for (const { sizes, activation, m, lr } of [
  { sizes: [2, 4, 1], activation: 'tanh', m: 400, lr: 1.2 },
  { sizes: [9, 37, 1], activation: 'relu', m: 157, lr: 0.5 },
] as const) {
  test(`200 steps: tiled matches the simple variant's costs and parameters (sizes=[${sizes}], ${activation}, m=${m}, lr ${lr})`, async ({ harness: fast }) => {
    const data = randomData(sizes[0], m, 5);
    const c: FastCase = { variant: 'tiled', sizes: [...sizes], activation, learningRate: lr, data, parameters: plain(initParameters([...sizes], 'xavier', 1)), steps: 200, logEvery: 20 };
    const tiled = await train(fast, c);
    const simple = await train(fast, { ...c, variant: 'simple' });
    expect([tiled.variant, simple.variant]).toEqual(['tiled', 'simple']);
    // Two summation orders in float32 drift apart by ~1e-6 per step at most; after
    // 200 steps the costs agree to ~1e-5 relative (the fused twin's test uses the same bounds).
    expectClose(tiled.history.map((h) => h.cost), simple.history.map((h) => h.cost), { atol: 1e-5, rtol: 1e-4, name: 'cost every 20 steps' });
    for (let l = 1; l <= 2; l++) expectClose(tiled.after.W[l], simple.after.W[l], { atol: 1e-4, rtol: 1e-3, name: `W${l} after 200 steps` });
  });
}

for (const { sizes, m, expected } of [
  { sizes: [784, 70, 1], m: 40, expected: 'tiled' },
  { sizes: [33, 130, 1], m: 20, expected: 'tiled' },
  { sizes: [2, 4, 1], m: 400, expected: 'lanes' },
  { sizes: [2, 64, 1], m: 400, expected: 'lanes' },
  { sizes: [2, 400, 1], m: 400, expected: 'fused2' },
  { sizes: [2, 4, 1], m: 20_000, expected: 'fused' },
] as const) {
  test(`on a fallback adapter, auto picks ${expected} at sizes=[${sizes}], m=${m}`, async ({ harness: fast }) => {
    await onFallbackAdapterOnly(fast);
    const c: FastCase = { variant: 'auto', sizes: [...sizes], activation: 'tanh', learningRate: 0.1, data: randomData(sizes[0], m, 2), parameters: plain(initParameters([...sizes], 'xavier', 1)), steps: 1 };
    expect((await train(fast, c)).variant).toBe(expected);
  });
}

test('a diverging tiled step sets the status flag: train() throws DivergenceError (flower-sized [2,8,1], relu, lr 1e4)', async ({ harness: fast }) => {
  const data = randomData(2, 400, 3);
  const c: FastCase = { variant: 'tiled', sizes: [2, 8, 1], activation: 'relu', learningRate: 1e4, data, parameters: plain(initParameters([2, 8, 1], 'he', 2)), steps: 500 };
  const error = await train(fast, c).then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);
  expect(error).toMatch(/diverged/);
});
