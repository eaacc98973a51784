// Runs the comparison: first the adapter's own ceiling (ceiling.ts), then for each
// size, build the problem once, then for each contender: warm up, the check run
// (checkSteps from the shared start, cost read back), and a timed run long enough to
// measure. Used headless by `npm run bench` (in a page, or in Node with
// `--runtime node`: bench/node.ts) and in the visitor's browser by demo/perf.html.
// Where it runs gives the GPU, the digits and TF.js (BenchEnv).
import type { Gpu } from '../src/gpu/device.ts';
import { flopsPerStep } from '../src/perf/flops.ts';
import { measureCeiling } from './ceiling.ts';
import { CONTENDER_LABELS, parseSize, type BenchConfig, type ContenderName } from './config.ts';
import type { Contender } from './contenders/contender.ts';
import { plainJsContender } from './contenders/plain-js.ts';
import { webgpuContender } from './contenders/webgpu.ts';
import { makeProblem } from './data.ts';
import type { BenchResult, Ceiling, Measurement } from './report.ts';

/** What the place the benchmark runs in provides. */
export interface BenchEnv {
  /** The adapter and device every WebGPU contender shares (asked for once). */
  gpu(): Promise<Gpu>;
  /** The mnist package's digits, each digit's images concatenated. */
  digits(): Promise<number[][]>;
  /** TF.js with a backend; absent where TF.js cannot run (Node). */
  tfjs?: (backend: 'webgpu' | 'wasm' | 'cpu') => Contender;
  /** jax-js on a device; absent where it is not loaded (Node: its WebGPU device needs a browser). */
  jaxjs?: (device: 'webgpu' | 'wasm') => Contender;
  /** What runs the code: the browser's user agent, or Node's version. */
  runtime: string;
}

function contender(name: ContenderName, config: BenchConfig, env: BenchEnv): Contender {
  const getGpu = env.gpu;
  const tfjsContender = (backend: 'webgpu' | 'wasm' | 'cpu') => {
    if (!env.tfjs) throw new Error(`${name} runs in the browser runtime only (TF.js's backends load in a page)`);
    return env.tfjs(backend);
  };
  switch (name) {
    case 'webgpu':
      return webgpuContender(getGpu, 'auto', config.stepsPerSubmit);
    case 'webgpu-simple':
      return webgpuContender(getGpu, 'simple', config.stepsPerSubmit);
    case 'webgpu-tiled':
      return webgpuContender(getGpu, 'tiled', config.stepsPerSubmit);
    case 'webgpu-shared':
      return webgpuContender(getGpu, 'shared', config.stepsPerSubmit);
    case 'webgpu-fused':
      return webgpuContender(getGpu, 'fused', config.stepsPerSubmit);
    case 'webgpu-small':
      return webgpuContender(getGpu, 'small', config.stepsPerSubmit);
    case 'tfjs-webgpu':
      return tfjsContender('webgpu');
    case 'tfjs-wasm':
      return tfjsContender('wasm');
    case 'tfjs-cpu':
      return tfjsContender('cpu');
    case 'jaxjs-webgpu':
    case 'jaxjs-wasm':
      if (!env.jaxjs) throw new Error(`${name} runs in the browser runtime only (jax-js's WebGPU device needs a page)`);
      return env.jaxjs(name === 'jaxjs-webgpu' ? 'webgpu' : 'wasm');
    case 'js':
      return plainJsContender;
  }
}

export type BenchEvent =
  | { kind: 'ceiling'; ceiling: Ceiling }
  | { kind: 'start'; size: string; contender: ContenderName }
  | { kind: 'done'; measurement: Measurement };

export async function runBench(config: BenchConfig, env: BenchEnv, onEvent: (e: BenchEvent) => void = () => {}): Promise<BenchResult> {
  const { adapterName: adapter, device } = await env.gpu();
  const ceiling = await measureCeiling(device);
  onEvent({ kind: 'ceiling', ceiling });
  const measurements: Measurement[] = [];
  for (const id of config.sizes) {
    const size = parseSize(id);
    const problem = await makeProblem(size, env.digits);
    const flops = flopsPerStep(size.sizes, size.m);
    for (const name of config.contenders) {
      onEvent({ kind: 'start', size: size.id, contender: name });
      const base = { size: size.id, sizes: size.sizes, m: size.m, data: problem.data.name, contender: name, label: CONTENDER_LABELS[name] };
      let measurement: Measurement;
      try {
        measurement = { ...base, ...(await measure(contender(name, config, env), problem, flops, config)) };
        if (config.corrupt?.contender === name) measurement.checkCost *= config.corrupt.factor;
      } catch (error) {
        measurement = { ...base, error: String((error as Error)?.message ?? error), detail: '', checkSteps: size.checkSteps, checkCost: NaN, steps: 0, seconds: 0, stepsPerSecond: NaN, msPerStep: NaN, gflops: NaN };
      }
      measurements.push(measurement);
      onEvent({ kind: 'done', measurement });
    }
  }
  return { adapter, date: new Date().toISOString(), userAgent: env.runtime, config, ceiling, measurements };
}

type Timing = Omit<Measurement, 'size' | 'sizes' | 'm' | 'data' | 'contender' | 'label'>;

async function measure(c: Contender, problem: Awaited<ReturnType<typeof makeProblem>>, flops: number, config: BenchConfig): Promise<Timing> {
  const session = await c.create(problem);
  try {
    const S = problem.size.checkSteps;
    // Warm-up: pipelines and shaders compile on first use.
    await session.reset();
    await session.train(1);
    // The check run: S steps from the shared start; its cost is compared.
    await session.reset();
    let t0 = performance.now();
    const checkCost = await session.train(S);
    let seconds = (performance.now() - t0) / 1000;
    let steps = S;
    if (seconds < config.minSeconds) {
      // Long enough to measure: at least minSeconds at the rate just seen.
      steps = Math.min(1_000_000, Math.max(S, Math.ceil((S * config.minSeconds * 1.1) / Math.max(seconds, 1e-4))));
      await session.reset();
      t0 = performance.now();
      await session.train(steps);
      seconds = (performance.now() - t0) / 1000;
    }
    const profile = config.profile && session.profile ? await session.profile() : undefined;
    return {
      profile,
      detail: session.detail,
      checkSteps: S,
      checkCost,
      steps,
      seconds,
      stepsPerSecond: steps / seconds,
      msPerStep: (1000 * seconds) / steps,
      gflops: (flops * steps) / seconds / 1e9,
    };
  } finally {
    session.dispose();
  }
}
