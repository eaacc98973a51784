// Kernels generated from code, written out so a reader can open a real one
// (style point 18): one instance of each shape class in shaders/generated/,
// checked in. The test fails when a generator's output drifts from the file;
// UPDATE_GENERATED=1 npx playwright test src/gpu/generated-kernels.test.ts rewrites them.
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aMinusY } from '../../shaders/a_minus_y.wgsl.ts';
import { batchIndicesCode } from '../../shaders/batch_indices.wgsl.ts';
import { costKernelCode } from '../../shaders/cost.wgsl.ts';
import { dw1Db1SparseUpdate } from '../../shaders/seed/dw1_db1_sparse_update.wgsl.ts';
import { forwardHiddenSparse } from '../../shaders/seed/forward_hidden_sparse.wgsl.ts';
import { forwardLayer } from '../../shaders/forward_layer.wgsl.ts';
import { tiledMatmul } from '../../shaders/matmul_tiled.wgsl.ts';
import { matmulAbtScaled } from '../../shaders/matmul_abt_scaled.wgsl.ts';
import { sumRows } from '../../shaders/sum_rows.wgsl.ts';
import { fusedStep } from '../../shaders/seed/fused_step.wgsl.ts';
import { fusedStepLanes } from '../../shaders/seed/fused_step_lanes.wgsl.ts';
import { updateKernelCode } from '../../shaders/update.wgsl.ts';
import { penaltyCostCode, penaltyGradientCode } from '../../shaders/penalty.wgsl.ts';
import { sharedMatmul } from '../../shaders/matmul_shared.wgsl.ts';
import { layoutParameters } from './param-layout.ts';
import { smallStep } from '../../shaders/small_step.wgsl.ts';
import { scratchLayout } from '../network/small-step.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../shaders/generated');

/** Offsets of W1, b1, W2, b2 in the parameter buffer of a [n0, n1, 1] network. */
function offsets(n0: number, n1: number) {
  const layout = layoutParameters([n0, n1, 1], 256);
  return { W1: layout.W[1].offset, b1: layout.b[1].offset, W2: layout.W[2].offset, b2: layout.b[2].offset };
}

/** The small step of a [2, 8, 8, 3] relu/tanh softmax network with Adam and L2, batches of 32 from 400 examples. */
function smallStepExample(): string {
  const sizes = [2, 8, 8, 3];
  const layout = layoutParameters(sizes, 256);
  const scratch = scratchLayout(sizes, 32);
  return smallStep({
    sizes, hidden: ['relu', 'tanh'], head: 'softmax', optimizer: 'adam', W: layout.W.map((w) => w.offset), b: layout.b.map((b) => b.offset),
    m: 400, count: 32, batch: { B: 32, nb: 13, seed: 1, h: 5 }, penalty: { gradient: [0.01 / 400, 0], cost: [0.01 / 800, 0] }, tick: true,
    X: scratch.X, Z: scratch.Z, A: scratch.A, dZ: scratch.dZ,
  });
}

const KERNELS: Record<string, () => string> = {
  // The small step: any network's whole step in one workgroup (here two activations, softmax, Adam, L2, batches).
  'small_step.relu-tanh.softmax.adam.l2.B32.wgsl': smallStepExample,
  // The lanes step: one unit slice (every lane holds all units, constant indices) and units split over lanes.
  'fused_step_lanes.tanh.2-4-1.m400.wgsl': () => fusedStepLanes('tanh', { n0: 2, n1: 4, m: 400, lanes: 4, units: 1, ...offsets(2, 4) }),
  'fused_step_lanes.tanh.2-64-1.m400.units4.wgsl': () => fusedStepLanes('tanh', { n0: 2, n1: 64, m: 400, lanes: 4, units: 4, ...offsets(2, 64) }),
  'fused_step.relu.3-5-1.m257.one.wgsl': () => fusedStep('relu', 'one', { n0: 3, n1: 5, m: 257, groups: 1, unitsPerGroup: 5, wg: 64, ...offsets(3, 5) }),
  // The sparse tiled kernels: 16 rows by blocks of 4 examples / rows.
  'forward_hidden_sparse.relu.R16.B4.wgsl': () => forwardHiddenSparse('relu', 16, 4),
  'dw1_db1_sparse_update.R16.B4.wgsl': () => dw1Db1SparseUpdate(16, 4),
  // Kernels assembled from the shared fragments (heads, updates, numerics), one per variant class.
  'forward_layer.identity.wgsl': () => forwardLayer('identity'),
  'a_minus_y.softmax.wgsl': () => aMinusY('softmax'),
  'cost.softmax.wgsl': () => costKernelCode('softmax'),
  'cost.linear.wgsl': () => costKernelCode('linear'),
  'update.momentum.wgsl': () => updateKernelCode('momentum'),
  'update.adam.wgsl': () => updateKernelCode('adam'),
  'batch_indices.wgsl': () => batchIndicesCode,
  // The weight penalties (L2 and L1, one owner): their part of the gradient and of the cost.
  'penalty_gradient.wgsl': () => penaltyGradientCode,
  'penalty_cost.wgsl': () => penaltyCostCode,
  // Blocked sums (reductions.wgsl.ts): across a workgroup, and by one invocation.
  'sum_rows.workgroup.wgsl': () => sumRows(false),
  'matmul_abt_scaled.serial.wgsl': () => matmulAbtScaled(true),
  // The general tiled step's products: one of each.
  'matmul_tiled.forward.relu.vec4-both.wgsl': () => tiledMatmul({ product: 'forward', g: 'relu', vec4Cols: true, vec4Inner: true }),
  'matmul_tiled.dw.vec4-inner.wgsl': () => tiledMatmul({ product: 'dw', vec4Inner: true }),
  'matmul_tiled.backward.tanh.wgsl': () => tiledMatmul({ product: 'backward', g: 'tanh' }),
  // The GPU path's products, staged in workgroup memory: one of each transposition.
  'matmul_shared.forward.relu.wgsl': () => sharedMatmul({ product: 'forward', g: 'relu' }),
  'matmul_shared.dw.wgsl': () => sharedMatmul({ product: 'dw' }),
  'matmul_shared.backward.tanh.wgsl': () => sharedMatmul({ product: 'backward', g: 'tanh' }),
};

const header = (name: string) =>
  `// GENERATED by src/gpu/generated-kernels.test.ts from the shaders/*.wgsl.ts generators: do not edit.\n// ${name}\n`;

for (const [name, generate] of Object.entries(KERNELS)) {
  test(`shaders/generated/${name} is what its generator writes, with no line over 120 characters`, () => {
    const code = header(name) + generate().replace(/\n{3,}/g, '\n\n').trim() + '\n';
    const file = join(DIR, name);
    if (process.env.UPDATE_GENERATED === '1') writeFileSync(file, code);
    const long = code.split('\n').filter((line) => line.length > 120);
    expect(long, 'generated lines over 120 characters').toEqual([]);
    let saved = '';
    try {
      saved = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`shaders/generated/${name} is missing: run UPDATE_GENERATED=1 npx playwright test src/gpu/generated-kernels.test.ts`);
    }
    expect(code, `the generator's output drifted from shaders/generated/${name}; rerun with UPDATE_GENERATED=1 and commit`).toBe(saved);
  });
}
