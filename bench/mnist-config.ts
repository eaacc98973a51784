// What `npm run bench:mnist` runs and returns: plain data shared by Node (bench/mnist-run.ts)
// and the page (bench/mnist-bench.ts).

/** tfjs-*: TF.js's low-level loop; tfjs-*-fit: model.fit, as users write it. */
export const MNIST_CONTENDERS = ['webgpu', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgpu-fit', 'tfjs-wasm-fit', 'js'] as const;
export type MnistContender = (typeof MNIST_CONTENDERS)[number];

export interface MnistBenchConfig {
  hidden: number;
  batchSize: number;
  learningRate: number;
  epochs: number;
  /** Stop a contender once its training time passes this (it keeps the epochs it finished). */
  maxSeconds: number;
  /** The accuracy whose first epoch is reported (time to it). */
  target: number;
  contenders: MnistContender[];
}

export interface MnistEpoch {
  epoch: number;
  seconds: number;
  accuracy: number;
}

export interface MnistResult {
  contender: MnistContender;
  detail: string;
  epochs: MnistEpoch[];
  error?: string;
}
