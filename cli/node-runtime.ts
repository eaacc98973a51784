// `npm run train -- --runtime node`: the same run as the page's (cli/run-training.ts),
// in this Node process on Dawn's WebGPU (the `webgpu` package; src/node.ts finds the
// driver). The boundary picture is drawn into pixels and encoded by fast-png.
import { encode } from 'fast-png';
import { requestGpu } from '../src/node.ts';
import { decisionBoundaryPixels } from '../src/plot/boundary.ts';
import { runTraining, type TrainingConfig, type TrainingResult, type TrainingRuntime } from './run-training.ts';

export async function runInNode(config: TrainingConfig, report: TrainingRuntime['report']): Promise<TrainingResult> {
  return runTraining(config, {
    async requestGpu() {
      const gpu = await requestGpu();
      return { device: gpu.device, adapterName: `${gpu.adapterName}, Dawn in Node (driver: ${gpu.driver.source}${gpu.driver.icd ? ` ${gpu.driver.icd}` : ''})` };
    },
    report,
    async boundaryPng(predict, data, size) {
      const image = await decisionBoundaryPixels(predict, data, { size });
      const png = encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 });
      return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    },
  });
}
