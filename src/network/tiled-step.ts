// The tiled step for wide layers (n2 = 1, two layers, data in one binding):
// register-tiled matmuls in which each invocation owns a 4×4 block of outputs,
// with the elementwise equations fused into them. Four dispatches per step:
//   forward_hidden_tiled   A1 = g(W1·X + b1)
//   output_layer_dz        z2 = W2·A1 + b2, dZ2 = σ(z2) − Y, the loss, dZ1ᵀ = (W2ᵀ·dZ2 ⊙ g'(Z1))ᵀ
//   dw1_db1_tiled_update   [dW1 | db1] = (1/m)·dZ1·[X; 1]ᵀ, then W1, b1 ← − α·…
//   dw2_db2_cost_update    dW2, db2 (and J, accuracy), then W2, b2 ← − α·…
// plus, once when the step is built, transpose_x_ones (and pad_columns when m is
// not a multiple of 4). See the shaders for the math.
// When most of X is zero (MNIST: about 79 %), counted once when the step is built
// (count_x_block_entries), the two products with X use lists of X's lines that are
// not all zero in blocks of SPARSE_BLOCK examples or rows (x_block_lists, also made
// once): forward_hidden_sparse and dw1_db1_sparse_update replace the first and third
// dispatch. They skip exactly zero terms, so they compute the same sums. For training,
// the forward's blocks take the examples in an order that groups alike ones
// (example-order.ts, from signatures made by x_nonzero_signatures): shorter lists.
import padColumnsCode from '../../shaders/pad_columns.wgsl?raw';
import xT1Code from '../../shaders/transpose_x_ones.wgsl?raw';
import dW1Code from '../../shaders/dw1_db1_tiled_update.wgsl?raw';
import dW2Code from '../../shaders/dw2_db2_cost_update.wgsl?raw';
import countBlockEntriesCode from '../../shaders/count_x_block_entries.wgsl?raw';
import blockListsCode from '../../shaders/x_block_lists.wgsl?raw';
import signaturesCode from '../../shaders/x_nonzero_signatures.wgsl?raw';
import { forwardHiddenTiled } from '../../shaders/forward_hidden_tiled.wgsl.ts';
import { forwardHiddenSparse } from '../../shaders/forward_hidden_sparse.wgsl.ts';
import { dw1Db1SparseUpdate } from '../../shaders/dw1_db1_sparse_update.wgsl.ts';
import { outputLayerDz } from '../../shaders/output_layer_dz.wgsl.ts';
import { F32 } from '../gpu/constants.ts';
import { bindAll, bindGroupLayout, explicitPipeline, stepUniform, type BindingKind } from '../gpu/explicit-pipeline.ts';
import { gridOfInvocations, gridOfWorkgroups, type Grid } from '../gpu/grid.ts';
import { readTensor } from '../gpu/readback.ts';
import { storageUsage, type Tensor } from '../gpu/tensor.ts';
import { ORDER_MAX_EXAMPLES, similarityOrder } from './example-order.ts';
import { newTensor } from './forward-pass.ts';
import type { SingleChunkContext, StepProgram } from './step.ts';

/** Invocations per workgroup of the tiled kernels. */
export const TILED_WORKGROUP = 64;
/** Output rows and columns per invocation: fixed by the kernels' four vec4 accumulators. */
export const TILE = 4;

/**
 * Examples per block of the forward's lists and rows of [X; 1ᵀ] per block of dW1's:
 * one load of W1 (or dZ1) serves this many multiply-adds a row.
 */
export const SPARSE_BLOCK = 4;
/** Rows per invocation of the sparse kernels (fewer when n1 is smaller). */
export const SPARSE_ROWS = 16;
/**
 * The sparse kernels run when at most this fraction of the (line of X, block of
 * SPARSE_BLOCK examples) pairs is not all zero: the forward's list then has at most
 * half the entries of a dense one (MNIST, 10,000 digits: 0.39; 80 % zeros at random:
 * 1 − 0.8⁴ = 0.59). On SwiftShader every load is a per-lane gather and loads bound
 * these kernels: the lists load (R + B + 1)/(R·B) = 0.33 values per multiply-add over
 * the entries they keep, the dense 4×4 tiles 0.5 over all of X, so the lists win even on
 * dense data there (785-128-1 on Gaussian data, m = 2,000: 4.21 against 2.71 steps/s);
 * a GPU's dense tiles read memory in whole lines (not measured: no GPU here), so dense
 * data stays with them on every adapter, and both kernel sets stay tested here. Measured (timestamp queries, per step, 784-128-1 on 10,000
 * digits): forward + dW1 2.26 s dense tiles, 0.57 s with one example or row per list
 * entry, 0.36 s with blocks of 4, 0.31 s with the examples reordered (example-order.ts).
 */
export const SPARSE_MAX_FILL = 0.5;

/** n rounded up to a multiple of 4: the kernels read rows of four floats as one vec4. */
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** Whether the tiled kernels can run this network: two layers, one output, each of its buffers within one binding. */
export function tiledFits(sizes: number[], m: number, limits: GPUSupportedLimits): boolean {
  if (sizes.length !== 3 || sizes[2] !== 1) return false;
  const [n0, n1] = sizes;
  const maxStorage = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  // XT1 (m, K4), A1 and X padded (·, M4), dZ1ᵀ (m, n1), E (3, m)
  return Math.max(roundUp4(n0 + 1) * m, Math.max(n0, n1, 3) * roundUp4(m)) * F32 <= maxStorage;
}

interface Launch {
  name: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  grid: Grid;
}

export interface TiledOptions {
  /**
   * Group alike examples in the sparse forward's blocks (example-order.ts): shorter
   * lists for every later step, for a one-time cost (~0.2 s at m = 10,000 on SwiftShader).
   * Training does; a one-off evaluation does not.
   */
  orderExamples: boolean;
}

export async function tiledStepProgram(ctx: SingleChunkContext, options: TiledOptions = { orderExamples: true }): Promise<StepProgram> {
  const { owner, sizes, activation, P, dP, X, Y, metrics, status } = ctx;
  const device = owner.device;
  const [n0, n1] = sizes;
  const m = X.cols;
  const WG = TILED_WORKGROUP;
  const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
  const maxStorage = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const off = (t: { offset: number }) => t.offset / F32;
  const [OW1, OB1, OW2, OB2] = [off(ctx.params.W[1]), off(ctx.params.b[1]), off(ctx.params.W[2]), off(ctx.params.b[2])];

  // Rows of A1 padded to M4 columns: whole vec4s.
  const M4 = roundUp4(m);
  const A1 = newTensor(owner, 'A1 (padded)', n1, M4);
  const dZ1T = newTensor(owner, 'dZ1ᵀ', m, n1);
  const E = newTensor(owner, '[dZ2; loss; correct]', 3, m);
  const { buffer: alpha, setLearningRate } = stepUniform(owner, 'tiled', ctx.learningRate);

  const launch = async (
    name: string,
    code: string,
    kinds: BindingKind[],
    resources: (Tensor | GPUBuffer)[],
    constants: Record<string, number>,
    grid: Grid,
  ): Promise<Launch> => {
    const layout = bindGroupLayout(device, kinds);
    const pipeline = await explicitPipeline(device, { name, code }, layout, { WG, ...constants });
    return { name, pipeline, bindGroup: bindAll(device, name, layout, resources), grid };
  };
  const run = (pass: GPUComputePassEncoder, l: Launch) => {
    pass.setPipeline(l.pipeline);
    pass.setBindGroup(0, l.bindGroup);
    pass.dispatchWorkgroups(l.grid[0], l.grid[1]);
  };
  // Work on the data, which a trainer never changes: done once, here.
  const once = (label: string, launches: (Launch | null)[]) => {
    const encoder = device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    for (const l of launches) if (l) run(pass, l);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };

  // How much of X is zero: the lengths of the block lists (small: ceil(m/B) + ceil((n0+1)/B) words).
  const B = SPARSE_BLOCK;
  const NE = Math.ceil(m / B);
  const NK = Math.ceil((n0 + 1) / B);
  const listConstants = { N0: n0, M: m, B, NE, NK };
  // The examples' order in the forward's blocks: as given, then (sparse data, training) alike ones together.
  const orderBuffer = owner.bufferWith('order of the examples in blocks', Uint32Array.from({ length: m }, (_, j) => j), storageUsage());
  const counts = newTensor(owner, 'block entries of X', 1, NE + NK);
  const countEntries = async () => {
    once('block entries of X', [
      await launch('count_x_block_entries', countBlockEntriesCode, ['read', 'read', 'read_write'], [X, orderBuffer, counts], listConstants, gridOfInvocations(NE + NK, WG, maxPerDim)),
    ]);
    return new Uint32Array((await readTensor(device, counts)).buffer);
  };
  const listBytes = (entries: number) => 4 * (B + 1) * Math.max(entries, 1);
  let count = await countEntries();
  const sum = (from: number, to: number) => count.subarray(from, to).reduce((a, b) => a + b, 0);
  const sparse = sum(0, NE) <= SPARSE_MAX_FILL * n0 * NE && Math.max(listBytes(sum(0, NE)), listBytes(sum(NE, NE + NK))) <= maxStorage;
  let reordered = false;
  if (sparse && options.orderExamples && m > B && m <= ORDER_MAX_EXAMPLES) {
    const words = Math.min(Math.ceil(n0 / 32), 32);
    const signatures = newTensor(owner, 'nonzero signatures of X', m, words);
    once('nonzero signatures of X', [
      await launch('x_nonzero_signatures', signaturesCode, ['read', 'read_write'], [X, signatures], { N0: n0, M: m, W: words }, gridOfInvocations(m, WG, maxPerDim)),
    ]);
    const bits = new Uint32Array((await readTensor(device, signatures)).buffer);
    owner.release(signatures.buffer);
    device.queue.writeBuffer(orderBuffer, 0, similarityOrder(bits, m, words));
    const given = count;
    count = await countEntries();
    // The greedy order can be no better on data already in a good order: then keep the given one.
    if (sum(0, NE) >= given.subarray(0, NE).reduce((a, b) => a + b, 0)) {
      device.queue.writeBuffer(orderBuffer, 0, Uint32Array.from({ length: m }, (_, j) => j));
      count = given;
    } else {
      reordered = true;
    }
  }
  owner.release(counts.buffer);
  if (!sparse) owner.release(orderBuffer);
  // Starts of each block's list: the blocks of examples, then those of rows of [X; 1ᵀ].
  const starts = new Uint32Array(NE + 1 + NK + 1);
  for (let b = 0; b < NE; b++) starts[b + 1] = starts[b] + count[b];
  for (let b = 0; b < NK; b++) starts[NE + 2 + b] = starts[NE + 1 + b] + count[NE + b];
  const entriesByExamples = starts[NE];
  const entriesByRows = starts[NE + 1 + NK];

  const outputLayer = launch(`output_layer_dz(${activation})`, outputLayerDz(activation), ['read', 'read', 'read', 'read_write', 'read_write', 'read_write'],
    [P, Y, A1, dZ1T, E, status], { N1: n1, M: m, M4, OW2, OB2 }, gridOfInvocations(m, WG, maxPerDim));
  const dW2Kinds: BindingKind[] = ['uniform', 'read', 'read', 'read_write', 'read_write', 'read_write', 'read_write'];
  const dW2Resources = [alpha, A1, E, P, dP, metrics, status];
  const dW2Grid = gridOfInvocations(n1 + 3, WG, maxPerDim);
  const dW2 = launch('dw2_db2_cost_update', dW2Code, dW2Kinds, dW2Resources, { N1: n1, M: m, M4, OW2, OB2, WITH_COST: 0 }, dW2Grid);
  const dW2WithCost = launch('dw2_db2_cost_update', dW2Code, dW2Kinds, dW2Resources, { N1: n1, M: m, M4, OW2, OB2, WITH_COST: 1 }, dW2Grid);
  const costOnly = launch('dw2_db2_cost_update', dW2Code, dW2Kinds, dW2Resources, { N1: n1, M: m, M4, OW2, OB2, WITH_COST: 1, UPDATE: 0 }, dW2Grid);

  let forwardHidden: Promise<Launch>;
  let dW1: Promise<Launch>;
  if (sparse) {
    const S = owner.bufferWith('X block list starts', starts, storageUsage());
    // At least one entry: a binding is never empty.
    const byExamples = owner.buffer('X lines by block of examples', listBytes(entriesByExamples), storageUsage());
    const byRows = owner.buffer('[X; 1ᵀ] columns by block of rows', listBytes(entriesByRows), storageUsage());
    once('X block lists', [
      await launch('x_block_lists', blockListsCode, ['read', 'read', 'read', 'read_write', 'read_write'], [X, orderBuffer, S, byExamples, byRows],
        listConstants, gridOfInvocations(NE + NK, WG, maxPerDim)),
    ]);
    const R = Math.min(SPARSE_ROWS, n1);
    const rowBlocks = Math.ceil(n1 / R);
    forwardHidden = launch(`forward_hidden_sparse(${activation}${reordered ? ', examples reordered' : ''})`, forwardHiddenSparse(activation, R, B), ['read', 'read', 'read', 'read', 'read_write'],
      [P, orderBuffer, S, byExamples, A1], { N0: n0, N1: n1, M: m, M4, OW1, OB1, NE, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NE * rowBlocks, WG, maxPerDim));
    dW1 = launch('dw1_db1_sparse_update', dw1Db1SparseUpdate(R, B), ['uniform', 'read', 'read', 'read', 'read_write', 'read_write', 'read_write'],
      [alpha, S, byRows, dZ1T, P, dP, status], { N0: n0, N1: n1, M: m, OW1, OB1, NE, NK, ROW_BLOCKS: rowBlocks }, gridOfInvocations(NK * rowBlocks, WG, maxPerDim));
  } else {
    // Rows of X padded to M4 columns, rows of XT1 to K4: whole vec4s.
    const K4 = roundUp4(n0 + 1);
    const Xp = M4 === m ? X : newTensor(owner, 'X padded', n0, M4);
    const XT1 = newTensor(owner, 'XT1 = [X; 1]ᵀ', m, K4);
    once('XT1 = [X; 1]ᵀ, X padded', await Promise.all([
      launch('transpose_x_ones', xT1Code, ['read', 'read_write'], [X, XT1], { N0: n0, M: m, K4 }, gridOfInvocations(m * K4, WG, maxPerDim)),
      Xp === X ? null : launch('pad_columns', padColumnsCode, ['read', 'read_write'], [X, Xp], { N0: n0, M: m, M4 }, gridOfInvocations(n0 * M4, WG, maxPerDim)),
    ]));
    const rowBlocks = Math.ceil(n1 / TILE);
    // Workgroups of the two tiled kernels: blocks of TILE rows × groups of WG vec4 columns.
    const tiledGrid = (cols: number): Grid => gridOfWorkgroups(rowBlocks * Math.ceil(cols / (TILE * WG)), maxPerDim);
    forwardHidden = launch(`forward_hidden_tiled(${activation})`, forwardHiddenTiled(activation), ['read', 'read', 'read_write'], [P, Xp, A1],
      { N0: n0, N1: n1, Q: M4 / 4, OW1, OB1, ROW_BLOCKS: rowBlocks }, tiledGrid(M4));
    dW1 = launch('dw1_db1_tiled_update', dW1Code, ['uniform', 'read', 'read', 'read_write', 'read_write', 'read_write'],
      [alpha, dZ1T, XT1, P, dP, status], { N0: n0, N1: n1, M: m, Q: K4 / 4, OW1, OB1, ROW_BLOCKS: rowBlocks }, tiledGrid(K4));
  }
  const [forwardHiddenL, outputLayerL, dW1L, dW2L, dW2WithCostL, costOnlyL] = await Promise.all([forwardHidden, outputLayer, dW1, dW2, dW2WithCost, costOnly]);

  return {
    name: 'tiled',
    kernels: [forwardHiddenL.name, outputLayerL.name, dW1L.name, dW2L.name],
    record(pass, withCost) {
      // Forward propagation: Z1 = W1·X + b1, A1 = g(Z1)
      run(pass, forwardHiddenL);
      // Z2 = W2·A1 + b2, A2 = σ(Z2), dZ2 = A2 − Y, the loss; dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1)
      run(pass, outputLayerL);
      // dW1 = (1/m)·dZ1·Xᵀ, db1 = (1/m)·Σ dZ1, then W1, b1 ← − α·…
      run(pass, dW1L);
      // dW2 = (1/m)·dZ2·A1ᵀ, db2 = (1/m)·Σ dZ2 (and J, accuracy), then W2, b2 ← − α·…
      run(pass, withCost ? dW2WithCostL : dW2L);
    },
    recordCost(pass) {
      run(pass, forwardHiddenL);
      run(pass, outputLayerL);
      run(pass, costOnlyL);
    },
    setLearningRate,
  };
}
