// The benchmark in Node (`npm run bench -- --runtime node`): Dawn's adapter (the
// `webgpu` package: the system's GPU through Vulkan, Metal or D3D12, else Chromium's
// SwiftShader driver; src/gpu/node-gpu.ts), the digits read from node_modules. No
// browser, no display: one command on a GPU machine. TF.js's backends load in a page,
// so only this trainer and plain JavaScript run here.
import { readDigits } from '../cli/mnist.ts';
import { requestGpu } from '../src/node.ts';
import type { Gpu } from '../src/gpu/device.ts';
import type { BenchEnv } from './runner.ts';

let gpu: Promise<Gpu> | null = null;
let digits: Promise<number[][]> | null = null;

export const nodeEnv: BenchEnv = {
  gpu: () =>
    (gpu ??= requestGpu().then((g) => ({ ...g, adapterName: `${g.adapterName}; Dawn in Node, driver: ${g.driver.icd ?? g.driver.source}` }))),
  digits: () => (digits ??= readDigits()),
  runtime: `Node ${process.version} (Dawn, the webgpu package)`,
};
