// `npm run bench`: one headless Chromium run that trains the same network from
// the same data and initial weights with this trainer, TF.js (webgpu, wasm,
// cpu) and plain JavaScript, prints steps/s, ms/step, GFLOP/s and the ratios,
// checks that every contender's cost agrees, and writes JSON.
//   npm run bench -- --sizes 2-4-1,784-128-1 --contenders webgpu,js --out out/bench.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launchChromium } from '../cli/browser.ts';
import { REPO_ROOT, startServer } from '../cli/server.ts';
import { CONTENDERS, DEFAULT_CONFIG, parseSize, type BenchConfig, type ContenderName } from './config.ts';
import { ceilingLine, checkAgreement, measurementTable, profileTable, ratioTable, type BenchResult } from './report.ts';
import type { BenchEvent } from './runner.ts';

const USAGE = `npm run bench -- [options]
  --sizes LIST          comma-separated n0-n1-1[@m] (default ${DEFAULT_CONFIG.sizes.join(',')})
  --contenders LIST     of ${CONTENDERS.join(', ')} (default ${DEFAULT_CONFIG.contenders.join(',')})
  --min-seconds X       each timed run lasts at least X s (default ${DEFAULT_CONFIG.minSeconds})
  --profile             also time this trainer's kernels one by one (timestamp-query) and print them
  --steps-per-submit N  this trainer's steps per queue submit (default ${DEFAULT_CONFIG.stepsPerSubmit})
  --tolerance X         relative cost difference allowed (default ${DEFAULT_CONFIG.tolerance})
  --runtime WHERE       browser (headless Chromium, the default: every contender) or node
                        (Dawn, the webgpu package, no browser or display: this trainer and js)
  --out FILE            JSON output (default bench/results/latest.json)
  --corrupt NAME        test hook: scale NAME's reported cost by 1.5 (the check must fail)`;

type Runtime = 'browser' | 'node';

export function parseArgs(argv: string[]): { config: BenchConfig; out: string; runtime: Runtime } {
  const config: BenchConfig = { ...DEFAULT_CONFIG };
  let out = resolve(REPO_ROOT, 'bench/results/latest.json');
  let runtime: Runtime = 'browser';
  let contendersGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag}: expected a positive number`);
      return v;
    };
    if (flag === '--sizes') config.sizes = value().split(',').map((s) => parseSize(s).id);
    else if (flag === '--contenders') {
      contendersGiven = true;
      config.contenders = value().split(',') as ContenderName[];
      const bad = config.contenders.find((c) => !CONTENDERS.includes(c));
      if (bad) throw new Error(`--contenders: unknown "${bad}"; expected some of ${CONTENDERS.join(', ')}`);
    } else if (flag === '--min-seconds') config.minSeconds = number();
    else if (flag === '--profile') config.profile = true;
    else if (flag === '--steps-per-submit') config.stepsPerSubmit = Math.round(number());
    else if (flag === '--tolerance') config.tolerance = number();
    else if (flag === '--out') out = resolve(value());
    else if (flag === '--runtime') {
      const v = value();
      if (v !== 'browser' && v !== 'node') throw new Error(`--runtime: expected browser or node, got "${v}"`);
      runtime = v;
    }
    else if (flag === '--corrupt') config.corrupt = { contender: value() as ContenderName, factor: 1.5 };
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (runtime === 'node') {
    const pageOnly = (c: string) => c.startsWith('tfjs') || c.startsWith('jaxjs');
    const browserOnly = config.contenders.filter(pageOnly);
    if (browserOnly.length > 0 && contendersGiven) throw new Error(`--contenders: ${browserOnly.join(', ')} run in the browser runtime only (TF.js's backends and jax-js load in a page)`);
    if (!contendersGiven) config.contenders = config.contenders.filter((c) => !pageOnly(c));
  }
  return { config, out, runtime };
}

const progress = (e: BenchEvent) => {
  if (e.kind === 'ceiling') process.stderr.write(`${ceilingLine(e.ceiling)}\n`);
  else if (e.kind === 'start') process.stderr.write(`${e.size.padEnd(18)} ${e.contender.padEnd(14)} … `);
  else {
    const x = e.measurement;
    process.stderr.write(x.error ? `error: ${x.error}\n` : `${x.stepsPerSecond.toPrecision(4)} steps/s, J = ${x.checkCost.toFixed(6)} (${x.detail})\n`);
  }
};

/** The bench page in headless Chromium. */
async function inBrowser(config: BenchConfig): Promise<BenchResult> {
  const server = await startServer();
  const browser = await launchChromium({ profiling: config.profile });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && console.error(`page: ${m.text()}`));
    await page.exposeFunction('benchProgress', progress);
    await page.goto(`${server.url}bench/page.html`);
    await page.waitForFunction(() => document.title === 'bench ready', null, { timeout: 60_000 });
    return (await page.evaluate((c) => window.bench.run(c), config)) as BenchResult;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** In this process, on Dawn (bench/node-env.ts): loaded only here, so the browser path needs no Dawn. */
async function inNode(config: BenchConfig): Promise<BenchResult> {
  const [{ nodeEnv }, { runBench }] = await Promise.all([import('./node-env.ts'), import('./runner.ts')]);
  try {
    return await runBench(config, nodeEnv, progress);
  } finally {
    (await nodeEnv.gpu()).device.destroy();
  }
}

async function main(): Promise<number> {
  const { config, out, runtime } = parseArgs(process.argv.slice(2));
  const result = runtime === 'node' ? await inNode(config) : await inBrowser(config);
  const agree = checkAgreement(result);
  const agent = result.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? result.userAgent;
  console.log(`\nAdapter: ${result.adapter}; ${result.date.slice(0, 10)}; ${agent}`);
  if (result.ceiling) console.log(ceilingLine(result.ceiling));
  console.log(`\n${measurementTable(result)}`);
  console.log('\nThis trainer (webgpu) is this many times faster (steps/s ratio):\n');
  console.log(ratioTable(result));
  if (config.profile) console.log(`\nGPU time per kernel of one step (timestamp queries, median of 7):\n\n${profileTable(result)}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ ...result, agree }, null, 2));
  console.log(`\nCosts ${agree ? 'agree' : 'DO NOT AGREE'} (tolerance ${config.tolerance} relative to plain-JS float64). JSON: ${out}`);
  return agree ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(REPO_ROOT, 'bench/run.ts')) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
