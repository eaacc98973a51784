// The headless half of `npm run bench`: bench/run.ts opens this page and calls
// window.bench.run(config); progress goes back through window.benchProgress.
// window.bench.probe(size?, variant?) measures this adapter's fixed costs
// (dispatch, command buffer, submit, round trip) and a step recorded 64× in one
// pass vs as 64 command buffers: what bounds the small networks.
import { requestGpu } from '../src/gpu/device.ts';
import { recordStep } from '../src/gpu/program.ts';
import type { StepVariant } from '../src/network/step-types.ts';
import { Trainer } from '../src/trainer.ts';
import { parseSize, type BenchConfig } from './config.ts';
import { makeProblem } from './data.ts';
import { runLoads, type LoadVariant, type LoadsConfig } from './loads.ts';
import { probe, probeRecord } from './probe.ts';
import { pageEnv } from './page-env.ts';
import { runBench, type BenchEvent } from './runner.ts';

async function probeStep(size?: string, variant: StepVariant = 'auto') {
  const gpu = await requestGpu();
  const fixed = await probe(gpu);
  if (!size) return fixed;
  const problem = await makeProblem(parseSize(size), pageEnv.digits);
  const t = await Trainer.create(gpu.device, { sizes: problem.size.sizes, learningRate: 0.1, parameters: problem.init, variant }, problem.data);
  const program = t.stepProgram;
  const timings = await probeRecord(gpu.device, (p) => recordStep(p, program, false, 0));
  t.destroy();
  return { ...fixed, variant: t.variant, step: timings };
}

declare global {
  interface Window {
    bench: { run(config: BenchConfig): ReturnType<typeof runBench>; probe: typeof probeStep; loads: typeof loads };
    benchProgress?: (e: BenchEvent) => void;
  }
}

async function loads(config: LoadsConfig, variants?: LoadVariant[]) {
  const { device, adapterName } = await requestGpu();
  return { adapter: adapterName, date: new Date().toISOString(), userAgent: navigator.userAgent, config, rows: await runLoads(device, config, variants) };
}

window.bench = { run: (config) => runBench(config, pageEnv, (e) => window.benchProgress?.(e)), probe: probeStep, loads };
document.title = 'bench ready';
