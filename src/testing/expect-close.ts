// The one tolerance rule of the project (style point 11):
//   |actual − expected| ≤ atol + rtol · |expected|, elementwise.
// atol covers entries near zero, where a relative bound means nothing; rtol
// covers large entries, where float32 rounding grows with the value. On failure
// the message lists what a person needs to judge it: how many entries are off,
// the worst one, and the first few, each with both values.

export interface CloseOptions {
  atol: number;
  rtol: number;
  /** What is compared, e.g. 'dW1 (n1=5, n0=3)'. */
  name: string;
}

/** Non-finite values match only themselves: NaN with NaN, +∞ with +∞, −∞ with −∞. */
const isClose = (a: number, e: number, atol: number, rtol: number): boolean => {
  if (!Number.isFinite(a) || !Number.isFinite(e)) return Object.is(a, e);
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
};

/** |a − e|, or Infinity where exactly one side is non-finite or they differ in kind. */
const difference = (a: number, e: number): number => {
  if (!Number.isFinite(a) || !Number.isFinite(e)) return Object.is(a, e) ? 0 : Infinity;
  return Math.abs(a - e);
};

/** The largest |a[i] − b[i]|; Infinity if a non-finite value meets a different one. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, difference(a[i], b[i]));
  return max;
}

/** Throws an Error describing the mismatches if any entry is outside the tolerance. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, opts: CloseOptions): void {
  const { atol, rtol, name } = opts;
  if (!(atol >= 0) || !(rtol >= 0)) throw new Error(`${name}: atol and rtol must be ≥ 0 (got ${atol}, ${rtol})`);
  if (actual.length !== expected.length) {
    throw new Error(`${name}: length ${actual.length}, expected ${expected.length}`);
  }
  const mismatches: number[] = [];
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = difference(actual[i], expected[i]);
    if (worstIndex < 0 || d > worst) {
      worst = d;
      worstIndex = i;
    }
    if (!isClose(actual[i], expected[i], atol, rtol)) mismatches.push(i);
  }
  if (mismatches.length === 0) return;
  const first = mismatches
    .slice(0, 5)
    .map((i) => `[${i}] actual ${actual[i]} expected ${expected[i]}`)
    .join('; ');
  throw new Error(
    `${name}: ${mismatches.length} of ${actual.length} entries differ by more than ` +
      `atol ${atol} + rtol ${rtol}·|expected|; largest difference ${worst} at [${worstIndex}] ` +
      `(actual ${actual[worstIndex]} expected ${expected[worstIndex]}); first: ${first}`,
  );
}
