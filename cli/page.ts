// The browser half of `npm run train`: cli/train.ts opens cli/page.html in
// headless Chromium and calls window.runTraining(config). Everything here runs on
// the page's WebGPU device; the only traffic back to Node is the progress
// callback (window.reportProgress) and the returned result.
import { DivergenceError, requestGpu, Trainer } from '../src/index.ts';
import { parseModelJson, toModelJson, type ModelJson } from '../src/model/model-json.ts';
import { drawDecisionBoundary } from '../src/plot/boundary.ts';
import type { Activation, Dataset, InitScheme } from '../src/types.ts';

/** What Node sends: plain JSON, so typed arrays travel as number[]. */
export interface TrainingConfig {
  /** X is (n0, m) row-major, Y is (1, m), as in Dataset. */
  data: { name: string; n0: number; m: number; X: number[]; Y: number[] };
  sizes: number[];
  activation: Activation;
  learningRate: number;
  steps: number;
  seed: number;
  initScheme: InitScheme;
  /** Parameters to start from instead of a fresh initialization. */
  initModel?: ModelJson;
  logEvery: number;
  /** Side of the decision-boundary picture in pixels (2-D data only). */
  plotSize?: number;
}

export interface HistoryPoint {
  step: number;
  cost: number;
  accuracy: number;
}

export interface TrainingResult {
  /** Cost J on the training set after the last step. */
  cost: number;
  trainAccuracy: number;
  steps: number;
  /** Wall time of train() alone: pipelines are built before the clock starts. */
  seconds: number;
  stepsPerSecond: number;
  adapter: string;
  /** Every logEvery steps, step 0 and the last step included. */
  history: HistoryPoint[];
  model: ModelJson;
  /** data:image/png;base64,... for 2-D data. */
  boundaryPng?: string;
}

declare global {
  interface Window {
    runTraining?: (config: TrainingConfig) => Promise<TrainingResult>;
    /** Exposed by the CLI (page.exposeFunction); absent when the page is opened by hand. */
    reportProgress?: (step: number, cost: number, accuracy: number) => Promise<void>;
  }
}

async function runTraining(config: TrainingConfig): Promise<TrainingResult> {
  const data: Dataset = {
    name: config.data.name,
    n0: config.data.n0,
    m: config.data.m,
    X: new Float32Array(config.data.X),
    Y: new Float32Array(config.data.Y),
  };
  const { device, adapterName } = await requestGpu();
  let trainer: Trainer | null = null;
  try {
    const parameters = config.initModel ? parseModelJson(config.initModel, 'initModel').params : undefined;
    trainer = await Trainer.create(
      device,
      {
        sizes: config.sizes,
        activation: config.activation,
        learningRate: config.learningRate,
        init: config.initScheme,
        seed: config.seed,
        ...(parameters ? { parameters } : {}),
      },
      data,
    );

    // The trainer watches for a non-finite cost or parameter on the GPU and stops
    // with a DivergenceError that names the step; point the CLI user at --lr.
    const t0 = performance.now();
    let run;
    try {
      run = await trainer.train({
        steps: config.steps,
        logEvery: config.logEvery,
        onProgress: (p) => {
          // Fire and forget: the training loop must not wait on a round trip to Node.
          void window.reportProgress?.(p.step, p.cost, p.accuracy).catch(() => {});
        },
      });
    } catch (error) {
      if (error instanceof DivergenceError) throw new DivergenceError(error.step, `${error.message} (--lr)`);
      throw error;
    }
    // train() resolves after the final step's cost has been read back, so the
    // GPU work is finished when the clock stops.
    const seconds = (performance.now() - t0) / 1000;

    const { cost, accuracy } = await trainer.evaluate();
    const model = toModelJson(await trainer.getParameters(), config.activation);
    let boundaryPng: string | undefined;
    if (data.n0 === 2) {
      const canvas = document.createElement('canvas');
      const t = trainer;
      await drawDecisionBoundary(canvas, (X, m) => t.predict(X, m), data, { size: config.plotSize ?? 480 });
      boundaryPng = canvas.toDataURL('image/png');
    }
    return {
      cost,
      trainAccuracy: accuracy,
      steps: run.steps,
      seconds,
      stepsPerSecond: run.steps / seconds,
      adapter: adapterName,
      history: run.history.map(({ step, cost, accuracy }) => ({ step, cost, accuracy })),
      model,
      ...(boundaryPng ? { boundaryPng } : {}),
    };
  } finally {
    trainer?.destroy();
    device.destroy();
  }
}

// Playwright rejects page.evaluate with an Error whose message is the page
// error's stack, "page.evaluate: DivergenceError: cost is NaN at step 812\n    at ...":
// the class name survives as text only, which cli/train.ts reads back. Values
// thrown that are not Errors get one so they carry a name and a message too.
window.runTraining = (config) =>
  runTraining(config).catch((e: unknown) => {
    throw e instanceof Error ? e : new Error(String(e));
  });
