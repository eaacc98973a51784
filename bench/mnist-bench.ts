// The page half of `npm run bench:mnist`: the ten-digit MNIST task (784-n1-10, ReLU,
// softmax, Adam, mini-batches) trained epoch by epoch by each contender from the same
// initial weights (He, seed 1) on the same batches in the same order (the trainer's
// shuffle): this trainer on WebGPU, TF.js (webgpu and wasm backends, the low-level loop
// of demo/mnist-tfjs.ts) and plain JavaScript (the float64 reference trainer). After
// each epoch, the test accuracy on the 2,000 held-out digits; the clock counts training only.
import { requestGpu } from '../src/gpu/device.ts';
import { MNIST_PIXELS } from '../src/data/mnist-digits.ts';
import { initParameters } from '../src/model/init.ts';
import { forward } from '../src/reference/network.ts';
import { initialState, trainGeneral } from '../src/reference/training.ts';
import { Trainer } from '../src/trainer.ts';
import type { Dataset, OptimizerState, Parameters } from '../src/types.ts';
import { loadMnist } from '../demo/mnist-data.ts';
import { fitTfjs, trainTfjs } from '../demo/mnist-tfjs.ts';
import type { MnistBenchConfig, MnistContender, MnistEpoch, MnistResult } from './mnist-config.ts';

declare global {
  interface Window {
    benchMnist?: (config: MnistBenchConfig) => Promise<{ adapter: string; results: MnistResult[] }>;
    mnistProgress?: (line: string) => Promise<void>;
  }
}

const SEED = 1;

async function runWebgpu(device: GPUDevice, c: MnistBenchConfig, train: Dataset, test: Dataset, init: Parameters, report: (e: MnistEpoch) => boolean): Promise<string> {
  const trainer = await Trainer.create(device, {
    sizes: init.sizes, activation: 'relu', head: 'softmax', optimizer: 'adam', learningRate: c.learningRate, batchSize: c.batchSize, seed: SEED, parameters: init,
  }, train);
  try {
    for (let epoch = 1; epoch <= c.epochs; epoch++) {
      const t0 = performance.now();
      await trainer.train({ steps: trainer.stepsPerEpoch, logEvery: trainer.stepsPerEpoch });
      const seconds = (performance.now() - t0) / 1000;
      if (!report({ epoch, seconds, accuracy: (await trainer.evaluate(test)).accuracy })) break;
    }
    return `${trainer.variant} step`;
  } finally {
    trainer.destroy();
  }
}

function runJs(c: MnistBenchConfig, train: Dataset, test: Dataset, init: Parameters, report: (e: MnistEpoch) => boolean): string {
  const optimizer = { kind: 'adam' as const, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const net = { hidden: 'relu' as const, head: 'softmax' as const };
  const data = { X: train.X, Y: train.Y, m: train.m, n0: train.n0 };
  let params = init;
  let state: OptimizerState = initialState(init, optimizer);
  const steps = Math.ceil(train.m / c.batchSize);
  for (let epoch = 1; epoch <= c.epochs; epoch++) {
    const t0 = performance.now();
    ({ params, state } = trainGeneral(params, data, steps, { net, learningRate: c.learningRate, optimizer, batchSize: c.batchSize, seed: SEED }, state));
    const seconds = (performance.now() - t0) / 1000;
    const Z = forward(params, net, test.X, test.m).Z[params.sizes.length - 1];
    let right = 0;
    for (let j = 0; j < test.m; j++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (Z[k * test.m + j] > Z[best * test.m + j]) best = k;
      if (best === test.Y[j]) right++;
    }
    if (!report({ epoch, seconds, accuracy: right / test.m })) break;
  }
  return 'float64 loops (src/reference)';
}

window.benchMnist = async (c) => {
  const { device, adapterName } = await requestGpu();
  const { train, test } = await loadMnist();
  const init = initParameters([MNIST_PIXELS, c.hidden, 10], 'he', SEED);
  const results: MnistResult[] = [];
  for (const contender of c.contenders) {
    const epochs: MnistEpoch[] = [];
    let total = 0;
    const report = (e: MnistEpoch) => {
      epochs.push(e);
      total += e.seconds;
      void window.mnistProgress?.(`${contender} epoch ${e.epoch}: ${(e.accuracy * 100).toFixed(2)} %, ${e.seconds.toFixed(2)} s`);
      return total < c.maxSeconds;
    };
    let detail = '';
    try {
      if (contender === 'webgpu') detail = await runWebgpu(device, c, train, test, init, report);
      else if (contender === 'js') detail = runJs(c, train, test, init, report);
      else {
        const controller = new AbortController();
        const fit = contender.endsWith('-fit');
        await (fit ? fitTfjs : trainTfjs)(contender.startsWith('tfjs-webgpu') ? 'webgpu' : 'wasm', { layers: [c.hidden], optimizer: 'adam', learningRate: c.learningRate, batchSize: c.batchSize, epochs: c.epochs, seed: SEED },
          train, test, (e, name) => {
            detail = `${name}, ${fit ? 'model.fit' : 'low-level loop'}`;
            if (!report({ epoch: e.epoch, seconds: e.seconds, accuracy: e.accuracy })) controller.abort();
          }, controller.signal);
      }
      results.push({ contender, detail, epochs });
    } catch (e) {
      results.push({ contender, detail, epochs, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  device.destroy();
  return { adapter: adapterName, results };
};
document.title = 'mnist bench ready';
