// The page half of e2e/fast-step.spec.ts: trains with a chosen step variant on
// explicit data and parameters and returns plain numbers, which the spec
// compares in Node with the float64 reference and with the 'simple' variant.
// A validation error scope around every call fails it on any WebGPU error.
import { requestGpu, type Gpu } from '../src/gpu/device.ts';
import type { StepVariant } from '../src/network/step-types.ts';
import { Trainer } from '../src/trainer.ts';
import type { Activation, Parameters } from '../src/types.ts';

let gpu: Promise<Gpu> | null = null;
const getGpu = () => (gpu ??= requestGpu());

export interface FastCase {
  variant: StepVariant;
  sizes: number[];
  activation: Activation;
  learningRate: number;
  data: { n0: number; m: number; X: number[]; Y: number[] };
  parameters: { W: number[][]; b: number[][] };
  steps: number;
  logEvery?: number;
  /** Bytes per storage binding (smaller forces chunks of examples). */
  maxBindingBytes?: number;
  /** Data to evaluate() after training (a test set). */
  evaluate?: { n0: number; m: number; X: number[]; Y: number[] };
}

const plain = (p: Parameters) => ({ W: p.W.map((w) => [...w]), b: p.b.map((b) => [...b]) });

/** `steps` steps with `variant`; the parameters and gradients after, and the history. */
async function train(c: FastCase) {
  const { device } = await getGpu();
  device.pushErrorScope('validation');
  const data = { name: 'explicit', n0: c.data.n0, m: c.data.m, X: Float32Array.from(c.data.X), Y: Float32Array.from(c.data.Y) };
  const parameters = { sizes: c.sizes, W: c.parameters.W.map((w) => Float64Array.from(w)), b: c.parameters.b.map((b) => Float64Array.from(b)) };
  const trainer = await Trainer.create(device, { ...c, parameters, stepsPerSubmit: 16 }, data);
  try {
    const run = await trainer.train({ steps: c.steps, logEvery: c.logEvery ?? 1 });
    const grads: Record<string, number[]> = {};
    for (const n of ['dW1', 'db1', 'dW2', 'db2']) grads[n] = [...(await trainer.readTensor(n))];
    const e = c.evaluate;
    const metrics = e ? await trainer.evaluate({ name: 'test', n0: e.n0, m: e.m, X: Float32Array.from(e.X), Y: Float32Array.from(e.Y) }) : null;
    const evaluation = metrics && { ...metrics, variant: trainer.evaluationVariant };
    return { variant: trainer.variant, kernels: [...trainer.stepKernels], history: run.history, after: plain(await trainer.getParameters()), grads, evaluation };
  } finally {
    trainer.destroy();
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error: ${error.message}`);
  }
}

const fastHarness = { train };
export type FastHarness = typeof fastHarness;
(window as unknown as { fastHarness: FastHarness }).fastHarness = fastHarness;
document.title = 'fast harness ready';
