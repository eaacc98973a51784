// The seed's step for sparse data ('sparse': n2 = 1, two layers, data in one binding,
// most of X zero: MNIST about 79 %), with the elementwise equations fused into four dispatches:
//   forward_hidden_sparse  A1 = g(W1·X + b1)
//   output_layer_dz        z2 = W2·A1 + b2, dZ2 = σ(z2) − Y, the loss, dZ1ᵀ = (W2ᵀ·dZ2 ⊙ g'(Z1))ᵀ
//   dw1_db1_sparse_update  [dW1 | db1] = (1/m)·dZ1·[X; 1]ᵀ, then W1, b1 ← − α·…
//   dw2_db2_cost_update    dW2, db2 (and J, accuracy), then W2, b2 ← − α·…
// The two products with X use lists of X's lines that are not all zero in blocks of
// examples or rows, made once (sparse-lists.ts); they skip exactly zero terms, so they
// compute the same sums. See the shaders for the math. Dense data trains with the
// general register-tiled products ('tiled', matmul_tiled.wgsl.ts).
// sparseCostPass builds only the cost pass (forward, output layer, J), for evaluate(data).
import { dw2Db2CostUpdate as dW2Code } from '../../../shaders/seed/dw2_db2_cost_update.wgsl.ts';
import { forwardHiddenSparse } from '../../../shaders/seed/forward_hidden_sparse.wgsl.ts';
import { dw1Db1SparseUpdate } from '../../../shaders/seed/dw1_db1_sparse_update.wgsl.ts';
import { outputLayerDz } from '../../../shaders/seed/output_layer_dz.wgsl.ts';
import { F32 } from '../../gpu/constants.ts';
import { stepUniform } from '../../gpu/explicit-pipeline.ts';
import { kernel, runOnce, type Dispatch, type Resource, type When } from '../../gpu/program.ts';
import { gridOfInvocations, type Grid } from '../../gpu/grid.ts';
import { newTensor } from '../forward-pass.ts';
import { sparseLists } from './sparse-lists.ts';
import type { SingleChunkContext, StepProgram } from '../step-types.ts';

/** Invocations per workgroup of the sparse step's kernels. */
export const SPARSE_WORKGROUP = 64;

/** Rows per invocation of the sparse kernels (fewer when n1 is smaller). */
export const SPARSE_ROWS = 16;

/** n rounded up to a multiple of 4: the kernels read rows of four floats as one vec4. */
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** Whether the sparse kernels can run this network: two layers, one output, each of its buffers within one binding. */
export function sparseFits(sizes: number[], m: number, limits: GPUSupportedLimits): boolean {
  if (sizes.length !== 3 || sizes[2] !== 1) return false;
  const [n0, n1] = sizes;
  const maxStorage = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  // A1 (n1, M4), dZ1ᵀ (m, n1), E (3, m), X (n0, m)
  return Math.max(n0, n1, 3) * roundUp4(m) * F32 <= maxStorage;
}

/** The sparse step for training (its cost pass included); null when X's lists do not fit. */
export async function sparseStepProgram(ctx: SingleChunkContext): Promise<StepProgram | null> {
  const k = await sparseKernels(ctx, true);
  if (!k) return null;
  return {
    name: 'sparse',
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
 * Only the sparse step's cost pass, for data seen once (evaluate(data)): none of what the
 * backward pass needs is made (dW1's lists, the example order, the update kernels).
 * null when the data's lists do not fit.
 */
export async function sparseCostPass(ctx: SingleChunkContext): Promise<readonly Dispatch[] | null> {
  return (await sparseKernels(ctx, false))?.cost ?? null;
}

interface CostKernels {
  forwardHidden: Dispatch;
  outputLayer: Dispatch;
  /** Forward propagation and J, the accuracy into metrics, changing no parameter. */
  cost: readonly Dispatch[];
  setLearningRate(alpha: number): void;
}

interface TrainingKernels extends CostKernels {
  dW1: Dispatch;
  dW2: Dispatch;
  dW2WithCost: Dispatch;
}

async function sparseKernels(ctx: SingleChunkContext, training: true): Promise<TrainingKernels | null>;
async function sparseKernels(ctx: SingleChunkContext, training: false): Promise<CostKernels | null>;
async function sparseKernels(ctx: SingleChunkContext, training: boolean): Promise<CostKernels | TrainingKernels | null> {
  const { owner, sizes, activation, P, dP, X, Y, metrics, status } = ctx;
  const device = owner.device;
  const [n0, n1] = sizes;
  const m = X.cols;
  const WG = SPARSE_WORKGROUP;
  const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
  const off = (t: { offset: number }) => t.offset / F32;
  const [OW1, OB1, OW2, OB2] = [off(ctx.params.W[1]), off(ctx.params.b[1]), off(ctx.params.W[2]), off(ctx.params.b[2])];

  const launch = (label: string, name: string, code: string, resources: Resource[], constants: Record<string, number>, grid: Grid, when: When = 'always') =>
    kernel(device, { label, source: { name, code }, resources, constants: { WG, ...constants }, grid, when });

  // Lists of X's nonzero lines by block (sparse-lists.ts); null when X is not sparse enough or they do not fit.
  const lists = await sparseLists(ctx, { training }, async (name, code, resources, constants, invocations) =>
    runOnce(device, name, [await launch(name, name, code, resources, constants, gridOfInvocations(invocations, WG, maxPerDim))]));
  if (!lists) return null;

  // Rows of A1 padded to M4 columns: whole vec4s.
  const M4 = roundUp4(m);
  const A1 = newTensor(owner, 'A1 (padded)', n1, M4);
  const dZ1T = newTensor(owner, 'dZ1ᵀ', m, n1);
  const E = newTensor(owner, '[dZ2; loss; correct]', 3, m);
  const { buffer: alpha, setLearningRate } = stepUniform(owner, 'sparse', ctx.learningRate);

  const { S, order, byExamples, byRows, B, NE, NK, reordered } = lists;
  const R = Math.min(SPARSE_ROWS, n1);
  const rowBlocks = Math.ceil(n1 / R);
  const forwardHidden = launch('A1 = g(W1·X + b1)', `forward_hidden_sparse(${activation}${reordered ? ', examples reordered' : ''})`, forwardHiddenSparse(activation, R, B),
    [P, order, S, byExamples, A1], { N0: n0, N1: n1, M: m, M4, OW1, OB1, NE, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NE * rowBlocks, WG, maxPerDim));
  const outputLayer = launch(`Z2, A2 = σ(Z2), dZ2 = A2 − Y, dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1)`, `output_layer_dz(${activation})`, outputLayerDz(activation),
    [P, Y, A1, dZ1T, E, status], { N1: n1, M: m, M4, OW2, OB2 }, gridOfInvocations(m, WG, maxPerDim));
  const dW2 = (label: string, constants: Record<string, number>, when: When) =>
    launch(label, 'dw2_db2_cost_update', dW2Code, [alpha, A1, E, P, dP, metrics, status], { N1: n1, M: m, M4, OW2, OB2, ...constants }, gridOfInvocations(n1 + 3, WG, maxPerDim), when);

  const [forwardHiddenL, outputLayerL, costOnlyL] = await Promise.all([forwardHidden, outputLayer, dW2('J and accuracy', { WITH_COST: 1, UPDATE: 0 }, 'always')]);
  const costKernels: CostKernels = { forwardHidden: forwardHiddenL, outputLayer: outputLayerL, cost: [forwardHiddenL, outputLayerL, costOnlyL], setLearningRate };
  // dW1's lists by rows are made exactly when training.
  if (!training || !byRows) return costKernels;
  const dW2Label = 'dW2, db2 = (1/m)·dZ2·[A1; 1]ᵀ, W2, b2 ← − α·…';
  const [dW1, dW2L, dW2WithCost] = await Promise.all([
    launch('dW1, db1 = (1/m)·dZ1·[X; 1]ᵀ, W1, b1 ← − α·…', 'dw1_db1_sparse_update', dw1Db1SparseUpdate(R, B),
      [alpha, S, byRows, dZ1T, P, dP, status], { N0: n0, N1: n1, M: m, OW1, OB1, NE, NK, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NK * rowBlocks, WG, maxPerDim)),
    dW2(dW2Label, { WITH_COST: 0 }, 'no-cost'),
    dW2(`${dW2Label}, J and accuracy`, { WITH_COST: 1 }, 'cost'),
  ]);
  return { ...costKernels, dW1, dW2: dW2L, dW2WithCost };
}
