// The seed's tiled step for sparse data (n2 = 1, two layers, data in one binding, most
// of X zero: MNIST about 79 %), with the elementwise equations fused into four dispatches:
//   forward_hidden_sparse  A1 = g(W1·X + b1)
//   output_layer_dz        z2 = W2·A1 + b2, dZ2 = σ(z2) − Y, the loss, dZ1ᵀ = (W2ᵀ·dZ2 ⊙ g'(Z1))ᵀ
//   dw1_db1_sparse_update  [dW1 | db1] = (1/m)·dZ1·[X; 1]ᵀ, then W1, b1 ← − α·…
//   dw2_db2_cost_update    dW2, db2 (and J, accuracy), then W2, b2 ← − α·…
// The two products with X use lists of X's lines that are not all zero in blocks of
// examples or rows, made once (sparse-lists.ts); they skip exactly zero terms, so they
// compute the same sums. See the shaders for the math.
// On dense data tiledStepProgram gives null and the 'tiled' variant trains with the
// general register-tiled products (matmul_tiled.wgsl.ts: vec4 loads along the sum,
// 1.3–1.6× these kernels' dense tiles on SwiftShader, docs/PERFORMANCE.md).
// tiledCostPass builds only the cost pass (forward, output layer, J), for evaluate(data):
// on dense data its forward is forward_hidden_tiled (4×4 register tiles, pad_columns
// when m is not a multiple of 4).
import padColumnsCode from '../../shaders/pad_columns.wgsl.ts';
import { dw2Db2CostUpdate as dW2Code } from '../../shaders/dw2_db2_cost_update.wgsl.ts';
import { forwardHiddenTiled } from '../../shaders/forward_hidden_tiled.wgsl.ts';
import { forwardHiddenSparse } from '../../shaders/forward_hidden_sparse.wgsl.ts';
import { dw1Db1SparseUpdate } from '../../shaders/dw1_db1_sparse_update.wgsl.ts';
import { outputLayerDz } from '../../shaders/output_layer_dz.wgsl.ts';
import { F32 } from '../gpu/constants.ts';
import { stepUniform } from '../gpu/explicit-pipeline.ts';
import { kernel, runOnce, type Dispatch, type Resource, type When } from '../gpu/program.ts';
import { gridOfInvocations, gridOfWorkgroups, type Grid } from '../gpu/grid.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { newTensor } from './forward-pass.ts';
import { sparseLists } from './sparse-lists.ts';
import type { SingleChunkContext, StepProgram } from './step-types.ts';

/** Invocations per workgroup of the tiled kernels. */
export const TILED_WORKGROUP = 64;
/** Output rows and columns per invocation: fixed by the kernels' four vec4 accumulators. */
export const TILE = 4;

/** Rows per invocation of the sparse kernels (fewer when n1 is smaller). */
export const SPARSE_ROWS = 16;

/** n rounded up to a multiple of 4: the kernels read rows of four floats as one vec4. */
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** Whether the tiled kernels can run this network: two layers, one output, each of its buffers within one binding. */
export function tiledFits(sizes: number[], m: number, limits: GPUSupportedLimits): boolean {
  if (sizes.length !== 3 || sizes[2] !== 1) return false;
  const [n0, n1] = sizes;
  const maxStorage = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  // A1 and X padded (·, M4), dZ1ᵀ (m, n1), E (3, m)
  return Math.max(n0, n1, 3) * roundUp4(m) * F32 <= maxStorage;
}

/** Forward propagation and J, the accuracy into metrics, changing no parameter: a variant's cost pass. */
export type CostPass = readonly Dispatch[];

/** The tiled step for training (its cost pass included); null when X is not sparse enough for its lists. */
export async function tiledStepProgram(ctx: SingleChunkContext): Promise<StepProgram | null> {
  const k = await tiledKernels(ctx, true);
  if (!k) return null;
  return {
    name: 'tiled',
    // Forward propagation: Z1 = W1·X + b1, A1 = g(Z1)
    // Z2 = W2·A1 + b2, A2 = σ(Z2), dZ2 = A2 − Y, the loss; dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1)
    // dW1 = (1/m)·dZ1·Xᵀ, db1 = (1/m)·Σ dZ1, then W1, b1 ← − α·…
    // dW2 = (1/m)·dZ2·A1ᵀ, db2 = (1/m)·Σ dZ2 (and J, accuracy), then W2, b2 ← − α·…
    step: [k.forwardHidden, k.outputLayer, k.dW1, k.dW2, k.dW2WithCost],
    cost: k.cost,
    tensors: {},
    setLearningRate: k.setLearningRate,
  };
}

/**
 * Only the tiled step's cost pass, for data seen once (evaluate(data)): none of what the
 * backward pass needs is made (dW1's lists or [X; 1]ᵀ, the example order, the update kernels).
 */
export async function tiledCostPass(ctx: SingleChunkContext): Promise<CostPass> {
  return (await tiledKernels(ctx, false)).cost;
}

interface TrainingLaunches {
  dW1: Dispatch;
  dW2: Dispatch;
  dW2WithCost: Dispatch;
}

type TiledKernels = {
  forwardHidden: Dispatch;
  outputLayer: Dispatch;
  cost: CostPass;
  setLearningRate(alpha: number): void;
};

async function tiledKernels(ctx: SingleChunkContext, training: true): Promise<(TiledKernels & TrainingLaunches) | null>;
async function tiledKernels(ctx: SingleChunkContext, training: false): Promise<TiledKernels>;
async function tiledKernels(ctx: SingleChunkContext, training: boolean): Promise<(TiledKernels & Partial<TrainingLaunches>) | null> {
  const { owner, sizes, activation, P, dP, X, Y, metrics, status } = ctx;
  const device = owner.device;
  const [n0, n1] = sizes;
  const m = X.cols;
  const WG = TILED_WORKGROUP;
  const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
  const off = (t: { offset: number }) => t.offset / F32;
  const [OW1, OB1, OW2, OB2] = [off(ctx.params.W[1]), off(ctx.params.b[1]), off(ctx.params.W[2]), off(ctx.params.b[2])];

  const launch = (label: string, name: string, code: string, resources: Resource[], constants: Record<string, number>, grid: Grid, when: When = 'always') =>
    kernel(device, { label, source: { name, code }, resources, constants: { WG, ...constants }, grid, when });

  // Lists of X's nonzero lines by block when X is sparse enough (sparse-lists.ts), else null.
  const lists = await sparseLists(ctx, { training }, async (name, code, resources, constants, invocations) =>
    runOnce(device, name, [await launch(name, name, code, resources, constants, gridOfInvocations(invocations, WG, maxPerDim))]));
  // Dense data: the general tiled products train it (step.ts).
  if (!lists && training) return null;

  // Rows of A1 padded to M4 columns: whole vec4s.
  const M4 = roundUp4(m);
  const A1 = newTensor(owner, 'A1 (padded)', n1, M4);
  const dZ1T = newTensor(owner, 'dZ1ᵀ', m, n1);
  const E = newTensor(owner, '[dZ2; loss; correct]', 3, m);
  const { buffer: alpha, setLearningRate } = stepUniform(owner, 'tiled', ctx.learningRate);

  const outputLayer = launch(`Z2, A2 = σ(Z2), dZ2 = A2 − Y, dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1)`, `output_layer_dz(${activation})`, outputLayerDz(activation),
    [P, Y, A1, dZ1T, E, status], { N1: n1, M: m, M4, OW2, OB2 }, gridOfInvocations(m, WG, maxPerDim));
  const dW2Resources = [alpha, A1, E, P, dP, metrics, status];
  const dW2Grid = gridOfInvocations(n1 + 3, WG, maxPerDim);
  const dW2 = (label: string, constants: Record<string, number>, when: When) =>
    launch(label, 'dw2_db2_cost_update', dW2Code, dW2Resources, { N1: n1, M: m, M4, OW2, OB2, ...constants }, dW2Grid, when);

  let forwardHidden: Promise<Dispatch>;
  let dW1: Promise<Dispatch> | null = null;
  if (lists) {
    const { S, order, byExamples, byRows, B, NE, NK, reordered } = lists;
    const R = Math.min(SPARSE_ROWS, n1);
    const rowBlocks = Math.ceil(n1 / R);
    forwardHidden = launch('A1 = g(W1·X + b1)', `forward_hidden_sparse(${activation}${reordered ? ', examples reordered' : ''})`, forwardHiddenSparse(activation, R, B),
      [P, order, S, byExamples, A1], { N0: n0, N1: n1, M: m, M4, OW1, OB1, NE, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NE * rowBlocks, WG, maxPerDim));
    if (byRows) {
      dW1 = launch('dW1, db1 = (1/m)·dZ1·[X; 1]ᵀ, W1, b1 ← − α·…', 'dw1_db1_sparse_update', dw1Db1SparseUpdate(R, B),
        [alpha, S, byRows, dZ1T, P, dP, status], { N0: n0, N1: n1, M: m, OW1, OB1, NE, NK, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NK * rowBlocks, WG, maxPerDim));
    }
  } else {
    // Rows of X padded to M4 columns: whole vec4s.
    const Xp = M4 === m ? X : newTensor(owner, 'X padded', n0, M4);
    if (Xp !== X) {
      runOnce(device, 'X padded', [await launch('X padded', 'pad_columns', padColumnsCode, [X, Xp], { N0: n0, M: m, M4 }, gridOfInvocations(n0 * M4, WG, maxPerDim))]);
    }
    const rowBlocks = Math.ceil(n1 / TILE);
    // Workgroups: blocks of TILE rows × groups of WG vec4 columns.
    forwardHidden = launch('A1 = g(W1·X + b1)', `forward_hidden_tiled(${activation})`, forwardHiddenTiled(activation), [P, Xp, A1],
      { N0: n0, N1: n1, Q: M4 / 4, OW1, OB1, ROW_BLOCKS: rowBlocks }, gridOfWorkgroups(rowBlocks * Math.ceil(M4 / (TILE * WG)), maxPerDim));
  }
  const [forwardHiddenL, outputLayerL, costOnlyL] = await Promise.all([forwardHidden, outputLayer, dW2('J and accuracy', { WITH_COST: 1, UPDATE: 0 }, 'always')]);
  const kernels: TiledKernels = {
    forwardHidden: forwardHiddenL,
    outputLayer: outputLayerL,
    cost: [forwardHiddenL, outputLayerL, costOnlyL],
    setLearningRate,
  };
  // dW1 is made exactly when training.
  if (!dW1) return kernels;
  const dW2Label = 'dW2, db2 = (1/m)·dZ2·[A1; 1]ᵀ, W2, b2 ← − α·…';
  const [dW1L, dW2L, dW2WithCostL] = await Promise.all([dW1, dW2(dW2Label, { WITH_COST: 0 }, 'no-cost'), dW2(`${dW2Label}, J and accuracy`, { WITH_COST: 1 }, 'cost')]);
  return { ...kernels, dW1: dW1L, dW2: dW2L, dW2WithCost: dW2WithCostL };
}
