// The tiled step's lists of sparse data, made once when the step is built (the data
// never changes during training): count_x_block_entries measures them, and when X is
// sparse enough x_block_lists writes them. For training, the forward's blocks first
// take the examples in an order that groups alike ones (x_nonzero_signatures, then
// example-order.ts), kept only when it shortens the lists, and dW1's lists by rows are
// made too; a cost pass (evaluation) needs neither. See the shaders for the layout.
import countBlockEntriesCode from '../../../shaders/seed/count_x_block_entries.wgsl.ts';
import blockListsCode from '../../../shaders/seed/x_block_lists.wgsl.ts';
import signaturesCode from '../../../shaders/seed/x_nonzero_signatures.wgsl.ts';
import { readTensor } from '../../gpu/readback.ts';
import { storageUsage, type Tensor } from '../../gpu/tensor.ts';
import { ORDER_MAX_EXAMPLES, similarityOrder } from './example-order.ts';
import { newTensor } from '../forward-pass.ts';
import type { SingleChunkContext } from '../step-types.ts';

/**
 * Examples per block of the forward's lists and rows of [X; 1ᵀ] per block of dW1's:
 * one load of W1 (or dZ1) serves this many multiply-adds a row.
 */
export const SPARSE_BLOCK = 4;
/**
 * The sparse kernels run when at most this fraction of the (line of X, block of
 * SPARSE_BLOCK examples) pairs is not all zero: the forward's list then has at most
 * half the entries of a dense one (MNIST, 10,000 digits: 0.39; 80 % zeros at random:
 * 1 − 0.8⁴ = 0.59). Denser data trains with the general register-tiled products
 * (docs/PERFORMANCE.md: the measurements).
 */
export const SPARSE_MAX_FILL = 0.5;

/**
 * The fraction of (line of X, block of SPARSE_BLOCK examples in the given order) pairs
 * that are not all zero: what count_x_block_entries measures on the GPU, on the CPU
 * before anything is built, so the chooser knows whether the sparse step applies.
 */
export function xBlockFill(X: ArrayLike<number>, n0: number, m: number): number {
  const B = SPARSE_BLOCK;
  const NE = Math.ceil(m / B);
  let entries = 0;
  for (let k = 0; k < n0; k++) {
    const row = k * m;
    for (let b = 0; b < NE; b++) {
      const end = Math.min(b * B + B, m);
      for (let j = b * B; j < end; j++) {
        // As the kernel compares: −0 is zero, NaN is not.
        if (X[row + j] !== 0) {
          entries++;
          break;
        }
      }
    }
  }
  return entries / Math.max(n0 * NE, 1);
}

export interface ListOptions {
  /**
   * Lists for training: the examples grouped alike in the forward's blocks (example-order.ts:
   * shorter lists for every later step, for a one-time cost) and dW1's lists by rows.
   * Without it, only the forward's lists, as given.
   */
  training: boolean;
}

export interface SparseLists {
  /** Examples per block (forward) and rows of [X; 1ᵀ] per block (dW1). */
  B: number;
  /** Blocks of examples, ceil(m / B), and of rows of [X; 1ᵀ], ceil((n0 + 1) / B) (0 without training). */
  NE: number;
  NK: number;
  /** The list starts, the examples' order in the forward's blocks, and the lists (byRows: training only). */
  S: GPUBuffer;
  order: GPUBuffer;
  byExamples: GPUBuffer;
  byRows: GPUBuffer | null;
  /** Whether the examples were reordered. */
  reordered: boolean;
}

/** Compiles `code` and runs it once over `invocations` invocations (one per block or example). */
export type RunOnce = (name: string, code: string, resources: (Tensor | GPUBuffer)[], constants: Record<string, number>, invocations: number) => Promise<void>;

const identity = (m: number) => Uint32Array.from({ length: m }, (_, j) => j);
const total = (counts: Uint32Array, from: number, to: number) => counts.subarray(from, to).reduce((a, b) => a + b, 0);

/** The lists for the data ctx.X when it is sparse enough and they fit a binding; else null. */
export async function sparseLists(ctx: SingleChunkContext, options: ListOptions, runOnce: RunOnce): Promise<SparseLists | null> {
  const { owner, X } = ctx;
  const device = owner.device;
  const n0 = ctx.sizes[0];
  const m = X.cols;
  const maxStorage = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const B = SPARSE_BLOCK;
  const NE = Math.ceil(m / B);
  const NK = options.training ? Math.ceil((n0 + 1) / B) : 0;
  const constants = { N0: n0, M: m, B, NE, NK };
  const listBytes = (entries: number) => 4 * (B + 1) * Math.max(entries, 1);

  // The lengths of the lists (small: NE + NK words), for the examples in `order`.
  const order = owner.bufferWith('order of the examples in blocks', identity(m), storageUsage());
  const counts = newTensor(owner, 'block entries of X', 1, NE + NK);
  const countEntries = async () => {
    await runOnce('count_x_block_entries', countBlockEntriesCode, [X, order, counts], constants, NE + NK);
    return new Uint32Array((await readTensor(device, counts)).buffer);
  };
  let count = await countEntries();
  const fits = total(count, 0, NE) <= SPARSE_MAX_FILL * n0 * NE && Math.max(listBytes(total(count, 0, NE)), listBytes(total(count, NE, NE + NK))) <= maxStorage;
  if (!fits) {
    owner.release(counts.buffer);
    owner.release(order);
    return null;
  }
  let reordered = false;
  if (options.training && m > B && m <= ORDER_MAX_EXAMPLES) {
    const words = Math.min(Math.ceil(n0 / 32), 32);
    const signatures = newTensor(owner, 'nonzero signatures of X', m, words);
    await runOnce('x_nonzero_signatures', signaturesCode, [X, signatures], { N0: n0, M: m, W: words }, m);
    const bits = new Uint32Array((await readTensor(device, signatures)).buffer);
    owner.release(signatures.buffer);
    device.queue.writeBuffer(order, 0, similarityOrder(bits, m, words));
    const inOrder = await countEntries();
    // The greedy order can be no better on data already in a good order: then keep the given one.
    reordered = total(inOrder, 0, NE) < total(count, 0, NE);
    if (reordered) count = inOrder;
    else device.queue.writeBuffer(order, 0, identity(m));
  }
  owner.release(counts.buffer);

  // Starts of each block's list: the blocks of examples, then those of rows of [X; 1ᵀ].
  const starts = new Uint32Array(NE + 1 + NK + 1);
  for (let b = 0; b < NE; b++) starts[b + 1] = starts[b] + count[b];
  for (let b = 0; b < NK; b++) starts[NE + 2 + b] = starts[NE + 1 + b] + count[NE + b];
  const S = owner.bufferWith('X block list starts', starts, storageUsage());
  // At least one entry each: a binding is never empty.
  const byExamples = owner.buffer('X lines by block of examples', listBytes(starts[NE]), storageUsage());
  const byRows = owner.buffer('[X; 1ᵀ] columns by block of rows', listBytes(starts[NE + 1 + NK]), storageUsage());
  await runOnce('x_block_lists', blockListsCode, [X, order, S, byExamples, byRows], constants, NE + NK);
  // Without training NK = 0: x_block_lists still binds byRows, and writes nothing there.
  if (!options.training) owner.release(byRows);
  return { B, NE, NK, S, order, byExamples, byRows: options.training ? byRows : null, reordered };
}
