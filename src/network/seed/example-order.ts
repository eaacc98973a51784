// An order of the examples that puts examples nonzero at the same inputs next to
// each other, for the sparse forward kernel's lists (x_block_lists.wgsl): a block of
// SPARSE_BLOCK examples lists every input at which any of them is nonzero, so
// alike neighbours make shorter lists and fewer loads of W1. The sums do not change
// (each example's terms are the same, in the same order); only the blocks do.
// MNIST, 10,000 digits in the package's order, blocks of 4: 772,443 entries; in this
// order (window 256) 564,254, 0.73× (the greedy nearest neighbour over all examples:
// 519,021, but quadratic in m).
//
// Each example's signature is a bitset of its nonzero inputs (input k is bit k mod
// 32·words, from x_nonzero_signatures.wgsl). Starting from the first example, the
// next is the one nearest (Hamming distance) among the next `window` examples not yet
// taken, so the work is m·window distances and examples move at most a little.

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Distances the ordering may compute in all: its window shrinks as m grows (about 0.2 s in a browser). */
export const ORDER_DISTANCE_BUDGET = 2_600_000;
/** The widest window: past it the lists hardly shorten (MNIST: 64 → 0.78×, 256 → 0.73×, 1024 → 0.69×). */
export const ORDER_MAX_WINDOW = 256;

/**
 * Above this many examples the trainer keeps the given order: the signatures would
 * be read back whole (up to 128 bytes an example) and the window would shrink to a few.
 */
export const ORDER_MAX_EXAMPLES = 1 << 18;

/** The window for m examples within the distance budget (at least 1: the identity order). */
export const orderWindow = (m: number): number => Math.max(1, Math.min(ORDER_MAX_WINDOW, Math.floor(ORDER_DISTANCE_BUDGET / Math.max(m, 1))));

/**
 * A permutation of 0 … m−1 (order[i] = the example placed i-th) from the examples'
 * signatures (m × words u32, example-major).
 */
export function similarityOrder(signatures: Uint32Array, m: number, words: number, window = orderWindow(m)): Uint32Array<ArrayBuffer> {
  if (signatures.length !== m * words) throw new RangeError(`signatures: expected ${m}·${words} = ${m * words} words, got ${signatures.length}`);
  const order = new Uint32Array(m);
  if (m === 0) return order;
  const distance = (a: number, b: number) => {
    let d = 0;
    for (let w = 0; w < words; w++) d += popcount(signatures[a * words + w] ^ signatures[b * words + w]);
    return d;
  };
  const pool: number[] = [];
  let next = 1;
  let current = 0;
  for (let i = 1; i < m; i++) {
    while (pool.length < window && next < m) pool.push(next++);
    let best = 0;
    let bestDistance = Infinity;
    for (let q = 0; q < pool.length; q++) {
      const d = distance(current, pool[q]);
      // Ties go to the earliest example, so alike data keeps its order.
      if (d < bestDistance || (d === bestDistance && pool[q] < pool[best])) {
        bestDistance = d;
        best = q;
      }
    }
    current = pool[best];
    pool[best] = pool[pool.length - 1];
    pool.pop();
    order[i] = current;
  }
  return order;
}
