// The seeded order of examples for mini-batches, one permutation per epoch. The
// GPU computes it per index (shaders/permutation.wgsl.ts, the same u32 arithmetic)
// instead of sorting: a 4-round Feistel network over the smallest domain 2^(2h) ≥ m,
// with cycle-walking back into [0, m). It is a bijection of [0, m) for every key, so
// each epoch visits every example exactly once; the float64 reference and the tests
// call these functions to feed the same batches.

/** A 32-bit integer hash (lowbias32, Chris Wellons): every input bit moves every output bit. */
export function mix32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** The permutation's key for one epoch of a run seeded with `seed`. */
export function epochKey(seed: number, epoch: number): number {
  return mix32((seed ^ mix32((epoch + 0x9e3779b9) >>> 0)) >>> 0);
}

/** h ≥ 1 with 2^(2h) ≥ m: the Feistel network's half width in bits. */
export function halfBits(m: number): number {
  let h = 1;
  while (4 ** h < m) h++;
  return h;
}

export const FEISTEL_ROUNDS = 4;

/** Position i of the epoch's permutation of [0, m). */
export function permuteIndex(i: number, m: number, key: number, h = halfBits(m)): number {
  const mask = 2 ** h - 1;
  let x = i >>> 0;
  do {
    let l = Math.floor(x / 2 ** h);
    let r = x & mask;
    for (let round = 0; round < FEISTEL_ROUNDS; round++) {
      const f = mix32((r ^ mix32((key + round) >>> 0)) >>> 0) & mask;
      [l, r] = [r, (l ^ f) >>> 0];
    }
    x = l * 2 ** h + r;
  } while (x >= m);
  return x;
}

/** Batches per epoch: ⌈m / B⌉; the last one is smaller when B does not divide m. */
export const batchesPerEpoch = (m: number, batchSize: number): number => Math.ceil(m / batchSize);

/** The examples of step t's batch, in order: the epoch's permutation at [k·B, min((k+1)·B, m)). */
export function batchExamples(t: number, m: number, batchSize: number, seed: number): number[] {
  const nb = batchesPerEpoch(m, batchSize);
  const epoch = Math.floor(t / nb);
  const start = (t % nb) * batchSize;
  const key = epochKey(seed >>> 0, epoch);
  const h = halfBits(m);
  const out: number[] = [];
  for (let j = start; j < Math.min(start + batchSize, m); j++) out.push(permuteIndex(j, m, key, h));
  return out;
}
