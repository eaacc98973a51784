// Turns measurements into the verdicts and tables `npm run bench` prints: does
// every contender's cost agree with the float64 plain-JS cost after the same
// steps, how many times faster this trainer is than each other contender, and
// whether the issue's targets are met. Pure functions: Node and page both use them.
import type { BenchConfig, ContenderName } from './config.ts';

export interface Measurement {
  size: string;
  sizes: number[];
  m: number;
  data: string;
  contender: ContenderName;
  label: string;
  detail: string;
  /** J after checkSteps steps from the shared start. */
  checkSteps: number;
  checkCost: number;
  /** The timed run. */
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  msPerStep: number;
  gflops: number;
  error?: string;
  /** With --profile: GPU time per kernel of one step (timestamp queries). */
  profile?: { kernel: string; microseconds: number }[];
  /** Filled by checkAgreement. */
  agrees?: boolean;
  reference?: number;
}

export interface BenchResult {
  adapter: string;
  date: string;
  userAgent: string;
  config: BenchConfig;
  measurements: Measurement[];
}

export interface Ratio {
  size: string;
  versus: ContenderName;
  ratio: number;
  /** The issue's bar, where it sets one. */
  target?: number;
  met?: boolean;
}

const OURS: ContenderName = 'webgpu';

/**
 * Marks each measurement: its cost must be within `tolerance` (relative, with a
 * 1e-6 absolute floor) of the plain-JS float64 cost, or of the median cost when
 * plain JS did not run. Returns true when every contender agrees.
 */
export function checkAgreement(result: BenchResult): boolean {
  let all = true;
  for (const size of new Set(result.measurements.map((x) => x.size))) {
    const group = result.measurements.filter((x) => x.size === size);
    const js = group.find((x) => x.contender === 'js' && Number.isFinite(x.checkCost));
    const costs = group.map((x) => x.checkCost).filter(Number.isFinite).sort((a, b) => a - b);
    const reference = js ? js.checkCost : costs[Math.floor((costs.length - 1) / 2)];
    for (const x of group) {
      x.reference = reference;
      x.agrees = !x.error && Number.isFinite(x.checkCost) && Math.abs(x.checkCost - reference) <= result.config.tolerance * Math.abs(reference) + 1e-6;
      all &&= x.agrees;
    }
  }
  return all;
}

/** The issue's targets: ≥100× TF.js webgpu on small nets, 20× on MNIST-sized; beat plain JS on the flower; beat wasm on 784-128-1. */
export function targetFor(size: string, versus: ContenderName): number | undefined {
  const [n0, n1] = size.split(/[-@]/).map(Number);
  if (versus === 'tfjs-webgpu') return n0 >= 784 ? 20 : 100;
  if (versus === 'js' && n0 === 2 && n1 === 4) return 1;
  if (versus === 'tfjs-wasm' && n0 === 784 && n1 === 128) return 1;
  return undefined;
}

export function ratios(result: BenchResult): Ratio[] {
  const out: Ratio[] = [];
  for (const ours of result.measurements.filter((x) => x.contender === OURS && !x.error)) {
    for (const other of result.measurements.filter((x) => x.size === ours.size && x.contender !== OURS && !x.error)) {
      const ratio = ours.stepsPerSecond / other.stepsPerSecond;
      const target = targetFor(ours.size, other.contender);
      out.push({ size: ours.size, versus: other.contender, ratio, ...(target ? { target, met: ratio >= target } : {}) });
    }
  }
  return out;
}

const fmt = (x: number, digits = 3): string => {
  if (!Number.isFinite(x)) return '–';
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(digits);
};

/** Markdown table: one row per size and contender. */
export function measurementTable(result: BenchResult): string {
  const rows = [
    '| network, m | contender | steps/s | ms/step | GFLOP/s | J after check steps | agrees |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const x of result.measurements) {
    const cost = x.error ? `error: ${x.error.slice(0, 80)}` : `${x.checkCost.toFixed(6)} (${x.checkSteps} steps)`;
    const ok = x.agrees === undefined ? '' : x.agrees ? 'yes' : `**NO** (ref ${x.reference?.toFixed(6)})`;
    rows.push(`| ${x.sizes.join('-')}, m = ${x.m} | ${x.contender} | ${fmt(x.stepsPerSecond)} | ${fmt(x.msPerStep)} | ${fmt(x.gflops)} | ${cost} | ${ok} |`);
  }
  return rows.join('\n');
}

/** Markdown table: this trainer's speed-up over each contender, with the targets. */
export function ratioTable(result: BenchResult): string {
  const list = ratios(result);
  const versus = [...new Set(list.map((r) => r.versus))];
  const rows = [`| network | ${versus.map((v) => `÷ ${v}`).join(' | ')} |`, `| --- | ${versus.map(() => '---:').join(' | ')} |`];
  for (const size of new Set(list.map((r) => r.size))) {
    const cells = versus.map((v) => {
      const r = list.find((x) => x.size === size && x.versus === v);
      if (!r) return '';
      const target = r.target ? ` (target ≥ ${r.target}: ${r.met ? 'met' : 'not met'})` : '';
      return `${fmt(r.ratio)}×${target}`;
    });
    rows.push(`| ${size} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

/** With --profile: each profiled contender's kernels, time per step and share. */
export function profileTable(result: { measurements: Measurement[] }): string {
  const rows = ['| network, m | contender | kernel | µs per step | share |', '| --- | --- | --- | ---: | ---: |'];
  for (const x of result.measurements) {
    if (!x.profile) continue;
    const total = x.profile.reduce((sum, k) => sum + k.microseconds, 0);
    for (const k of x.profile) {
      rows.push(`| ${x.size}, m = ${x.m} | ${x.contender} | ${k.kernel} | ${k.microseconds.toFixed(1)} | ${((100 * k.microseconds) / total).toFixed(1)} % |`);
    }
  }
  return rows.join('\n');
}
