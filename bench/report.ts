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

/** The adapter's own ceiling (bench/ceiling.ts): a matmul with its weight loads removed. */
export interface Ceiling {
  gflops: number;
  ms: number;
  shape: string;
}

export interface BenchResult {
  adapter: string;
  date: string;
  /** The browser's user agent, or "Node vX (Dawn)". */
  userAgent: string;
  config: BenchConfig;
  /** Absent in results written before it was measured. */
  ceiling?: Ceiling;
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

/**
 * The targets of issue 13 (and the earlier ones where stricter): ≥ 100× TF.js webgpu on
 * the flower sizes, 20× on the real digits, 10× on dense data; at least plain JS's speed
 * from 2-64-1 up (dense included), within 1.5× of it at 2-4-1; TF.js wasm on the digits.
 */
export function targetFor(size: string, versus: ContenderName): number | undefined {
  const [n0, n1] = size.split(/[-@]/).map(Number);
  const dense = size.endsWith(':dense') || (n0 !== 2 && n0 !== 784);
  if (versus === 'tfjs-webgpu') return n0 === 2 && !dense ? 100 : dense ? 10 : 20;
  if (versus === 'js') return n0 === 2 && n1 === 4 && !dense ? 1 / 1.5 : 1;
  if (versus === 'tfjs-wasm' && n0 === 784 && n1 === 128 && !dense) return 1;
  return undefined;
}

/**
 * Multiply-adds ×2 of one dispatch of `kernel` in a step of the seed's network
 * [n0, n1, 1] on m examples, where the name says which product it is (dense-equivalent
 * for the sparse kernels); undefined for kernels that are not products (updates, sums).
 * Several dispatches of one name add up, as profileStep adds their times.
 */
export function kernelFlops(kernel: string, sizes: readonly number[], m: number): number | undefined {
  const [n0, n1] = sizes;
  const hidden = 2 * n0 * n1 * m;
  const output = 2 * n1 * m;
  if (/^forward_hidden_(tiled|sparse)|^matmul_(tiled|shared)\(forward, (?!sigmoid)/.test(kernel)) return hidden;
  if (/^matmul_(tiled|shared)\(forward, sigmoid/.test(kernel)) return output;
  if (/^dw1_db1_sparse_update/.test(kernel)) return hidden;
  // dW1 and dW2 by the same kernel.
  if (/^matmul_(tiled|shared)\(dw/.test(kernel)) return hidden + output;
  if (/^matmul_(tiled|shared)\(backward|^output_layer_dz|^dw2_db2_cost_update/.test(kernel)) return output;
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
    '| network, m | data | contender | steps/s | ms/step | GFLOP/s | ÷ ceiling | J after check steps | agrees |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const x of result.measurements) {
    const cost = x.error ? `error: ${x.error.slice(0, 80)}` : `${x.checkCost.toFixed(6)} (${x.checkSteps} steps)`;
    const ok = x.agrees === undefined ? '' : x.agrees ? 'yes' : `**NO** (ref ${x.reference?.toFixed(6)})`;
    // The adapter's ceiling bounds what runs on it: this trainer's rows only.
    const share = result.ceiling && x.contender.startsWith('webgpu') ? percent(x.gflops / result.ceiling.gflops) : '';
    rows.push(`| ${x.sizes.join('-')}, m = ${x.m} | ${x.data} | ${x.contender} | ${fmt(x.stepsPerSecond)} | ${fmt(x.msPerStep)} | ${fmt(x.gflops)} | ${share} | ${cost} | ${ok} |`);
  }
  return rows.join('\n');
}

const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '–');

/** The ceiling line printed above the tables. */
export function ceilingLine(c: Ceiling): string {
  return `Adapter ceiling: ${fmt(c.gflops)} GFLOP/s (${c.shape}: ${c.ms.toFixed(1)} ms; what no kernel that loads both operands can beat)`;
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
      const target = r.target ? ` (target ≥ ${fmt(r.target)}: ${r.met ? 'met' : 'not met'})` : '';
      return `${fmt(r.ratio)}×${target}`;
    });
    rows.push(`| ${size} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

/** With --profile: each profiled contender's kernels, time per step and share. */
export function profileTable(result: { measurements: Measurement[]; ceiling?: Ceiling }): string {
  const rows = [
    '| network, m | contender | kernel | µs per step | share | GFLOP/s | ÷ ceiling |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const x of result.measurements) {
    if (!x.profile) continue;
    const total = x.profile.reduce((sum, k) => sum + k.microseconds, 0);
    for (const k of x.profile) {
      const flops = kernelFlops(k.kernel, x.sizes, x.m);
      const gflops = flops === undefined ? NaN : flops / k.microseconds / 1e3;
      const share = result.ceiling && flops !== undefined ? percent(gflops / result.ceiling.gflops) : '';
      rows.push(`| ${x.size}, m = ${x.m} | ${x.contender} | ${k.kernel} | ${k.microseconds.toFixed(1)} | ${((100 * k.microseconds) / total).toFixed(1)} % | ${flops === undefined ? '' : fmt(gflops)} | ${share} |`);
    }
  }
  return rows.join('\n');
}
