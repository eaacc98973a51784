// The browser half of `npm run train --runtime browser` (the default): cli/train.ts
// opens cli/page.html in headless Chromium and calls window.runTraining(config).
// Everything runs on the page's WebGPU device; the only traffic back to Node is
// the progress callback (window.reportProgress) and the returned result.
import { requestGpu } from '../src/index.ts';
import { drawDecisionBoundary } from '../src/plot/boundary.ts';
import { runTraining, type TrainingConfig, type TrainingResult, type TrainingRuntime } from './run-training.ts';

declare global {
  interface Window {
    runTraining?: (config: TrainingConfig) => Promise<TrainingResult>;
    /** Exposed by the CLI (page.exposeFunction); absent when the page is opened by hand. */
    reportProgress?: (step: number, cost: number, accuracy: number) => Promise<void>;
  }
}

const runtime: TrainingRuntime = {
  requestGpu: () => requestGpu(),
  // A round trip to Node, not awaited.
  report: (step, cost, accuracy) => void window.reportProgress?.(step, cost, accuracy).catch(() => {}),
  async boundaryPng(predict, data, size) {
    const canvas = document.createElement('canvas');
    await drawDecisionBoundary(canvas, predict, data, { size });
    return canvas.toDataURL('image/png');
  },
};

// Playwright rejects page.evaluate with an Error whose message is the page
// error's stack, "page.evaluate: DivergenceError: cost is NaN at step 812\n    at ...":
// the class name survives as text only, which cli/train.ts reads back. Values
// thrown that are not Errors get one so they carry a name and a message too.
window.runTraining = (config) =>
  runTraining(config, runtime).catch((e: unknown) => {
    throw e instanceof Error ? e : new Error(String(e));
  });
