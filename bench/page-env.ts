// The benchmark in a page (the headless bench page, the demo's performance page): the
// page's WebGPU device, the digits fetched as static assets, TF.js's published bundles.
import { fetchDigits } from '../demo/mnist-data.ts';
import { requestGpu, type Gpu } from '../src/gpu/device.ts';
import { tfjsContender } from './contenders/tfjs.ts';
import { jaxjsContender } from './contenders/jaxjs.ts';
import type { BenchEnv } from './runner.ts';

let gpu: Promise<Gpu> | null = null;

export const pageEnv: BenchEnv = {
  gpu: () => (gpu ??= requestGpu()),
  digits: () => fetchDigits(),
  tfjs: tfjsContender,
  jaxjs: jaxjsContender,
  runtime: navigator.userAgent,
};
