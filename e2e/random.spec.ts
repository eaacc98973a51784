// Randomized: fast-check draws shapes, activations, learning rates and seeds in
// Node; each sample trains a few steps on the GPU through the real Trainer (the
// harness's fastTrain, in process in the gpu project) and is compared with the float64 reference. On a
// failure fast-check prints the seed and the shrunk counterexample; rerun one
// with FC_SEED=<seed> (and FC_PATH=<path>).
import fc from 'fast-check';
import { createRng } from '../src/data/rng.ts';
import { initParameters } from '../src/model/init.ts';
import * as ref from '../src/reference/network.ts';
import { expectClose } from '../src/testing/expect-close.ts';
import { ACTIVATIONS, INIT_SCHEMES, type Activation, type InitScheme } from '../src/types.ts';
import type { FastCase } from './harness.ts';
import { expect, test } from './fixtures/page.ts';
import { train } from './fixtures/fast-step.ts';

// Float32 against float64 over ≤ 4 steps: each tensor entry carries ~1e-6
// relative rounding, sums over up to 300 examples and 70 units ~1e-5; a step
// with α ≤ 2 passes that on to the parameters, and the next steps amplify it by
// roughly (1 + α·curvature). Measured worst cases stay below 1e-5; a wrong index,
// transpose or g' is off by O(1e-2) or more. ReLU-type kinks could flip a unit
// whose z is within float32 rounding of 0 (probability ~1e-7 per entry).
const PARAM_TOL = { atol: 2e-4, rtol: 2e-3 };
const COST_TOL = { atol: 5e-5, rtol: 5e-4 };

const NUM_RUNS = Number(process.env.FC_RUNS ?? 16);

const sample = fc.record({
  n0: fc.integer({ min: 1, max: 6 }),
  n1: fc.integer({ min: 1, max: 70 }),
  m: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 300 })),
  activation: fc.constantFrom<Activation>(...ACTIVATIONS),
  init: fc.constantFrom<InitScheme>(...INIT_SCHEMES.filter((s) => s !== 'zeros')),
  learningRate: fc.double({ min: 0.01, max: 2, noNaN: true }).map(Math.fround),
  steps: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});
type Sample = typeof sample extends fc.Arbitrary<infer T> ? T : never;

/** X (n0, m) ~ N(0, 1) in float32, Y in {0, 1}, and initial parameters, all from the seed. */
function makeCase(s: Sample): FastCase {
  const rng = createRng(s.seed);
  const X = Array.from({ length: s.n0 * s.m }, () => Math.fround(rng.normal()));
  const Y = Array.from({ length: s.m }, () => (rng.uniform() < 0.5 ? 0 : 1));
  const sizes = [s.n0, s.n1, 1];
  const p = initParameters(sizes, s.init, s.seed);
  return {
    variant: 'auto',
    sizes,
    activation: s.activation,
    learningRate: s.learningRate,
    steps: s.steps,
    data: { n0: s.n0, m: s.m, X, Y },
    parameters: { W: p.W.map((w) => [...w]), b: p.b.map((b) => [...b]) },
  };
}

test(`random shapes (n0 1..6, n1 1..70, m 1..300), activations, inits, learning rates 0.01..2 and 1..4 steps: GPU parameters and costs match the float64 reference (${NUM_RUNS} samples)`, async ({ harness }) => {
  test.setTimeout(180_000);
  const t0 = Date.now();
  await fc.assert(
    fc.asyncProperty(sample, async (s) => {
      const c = makeCase(s);
      const gpu = await train(harness, c);
      const start = { sizes: c.sizes, W: c.parameters.W.map((w) => Float64Array.from(w)), b: c.parameters.b.map((b) => Float64Array.from(b)) };
      const expected = ref.trainReference(start, c.activation, c.data, c.steps, c.learningRate, 1);
      const label = `n0=${s.n0}, n1=${s.n1}, m=${s.m}, ${s.activation}, ${s.init}, α=${s.learningRate}, ${s.steps} steps`;
      expect(gpu.history.map((h) => h.step), label).toEqual(expected.history.map((h) => h.step));
      expectClose(gpu.history.map((h) => h.cost), expected.history.map((h) => h.cost), { ...COST_TOL, name: `cost history (${label})` });
      for (let l = 1; l <= 2; l++) {
        expectClose(gpu.after.W[l], expected.params.W[l], { ...PARAM_TOL, name: `W${l} after the steps (${label})` });
        expectClose(gpu.after.b[l], expected.params.b[l], { ...PARAM_TOL, name: `b${l} after the steps (${label})` });
      }
    }),
    {
      numRuns: NUM_RUNS,
      seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
      path: process.env.FC_PATH,
      // Always try m = 1 and the widest layer once.
      examples: [
        [{ n0: 1, n1: 1, m: 1, activation: 'tanh', init: 'course', learningRate: 2, steps: 4, seed: 1 }],
        [{ n0: 6, n1: 70, m: 300, activation: 'relu', init: 'he', learningRate: Math.fround(0.01), steps: 2, seed: 2 }],
      ],
    },
  );
  console.log(`fast-check: ${NUM_RUNS} samples in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
