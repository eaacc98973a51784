// `npm run bench:mnist`: the ten-digit MNIST task with mini-batches (784-128-10, ReLU,
// softmax, Adam, batches of 128 by default), each contender from the same initial
// weights on the same batches (bench/mnist-bench.ts), in one headless Chromium. Prints
// each contender's training time per epoch, examples/s, the test accuracy it reaches
// and the training time until the test accuracy first reaches the target (93 %), with
// ratios against this trainer; writes JSON.
//   npm run bench:mnist -- --epochs 10 --contenders webgpu,tfjs-webgpu,tfjs-wasm,js --out bench/results/mnist.json
import { resolve } from 'node:path';
import { launchChromium } from '../cli/browser.ts';
import { REPO_ROOT, startServer } from '../cli/server.ts';
import { MNIST_CONTENDERS, type MnistBenchConfig, type MnistContender, type MnistResult } from './mnist-config.ts';
import { runMain, writeJson } from '../cli/command.ts';

const USAGE = `npm run bench:mnist -- [--hidden 128] [--batch-size 128] [--lr 0.001] [--epochs 10] [--target 0.93]
  [--max-seconds 240] [--contenders ${MNIST_CONTENDERS.join(',')}] [--out FILE]`;

function parse(argv: string[]): { config: MnistBenchConfig; out: string } {
  const config: MnistBenchConfig = { hidden: 128, batchSize: 128, learningRate: 0.001, epochs: 10, maxSeconds: 240, target: 0.93, contenders: [...MNIST_CONTENDERS] };
  let out = resolve(REPO_ROOT, 'bench/results/mnist.json');
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[++i]];
    const num = (ok: (v: number) => boolean, what: string) => {
      const v = Number(value);
      if (!ok(v)) throw new Error(`${flag}: expected ${what}, got ${JSON.stringify(value)}\n${USAGE}`);
      return v;
    };
    const posInt = (v: number) => Number.isInteger(v) && v > 0;
    if (flag === '--hidden') config.hidden = num(posInt, 'a positive integer');
    else if (flag === '--batch-size') config.batchSize = num(posInt, 'a positive integer');
    else if (flag === '--epochs') config.epochs = num(posInt, 'a positive integer');
    else if (flag === '--lr') config.learningRate = num((v) => v > 0 && Number.isFinite(v), 'a number > 0');
    else if (flag === '--max-seconds') config.maxSeconds = num((v) => v > 0, 'a number > 0');
    else if (flag === '--target') config.target = num((v) => v > 0 && v <= 1, 'a fraction in (0, 1]');
    else if (flag === '--contenders') {
      const list = (value ?? '').split(',') as MnistContender[];
      const bad = list.filter((c) => !MNIST_CONTENDERS.includes(c));
      if (bad.length) throw new Error(`--contenders: unknown ${bad.join(', ')}; expected some of ${MNIST_CONTENDERS.join(', ')}`);
      config.contenders = list;
    } else if (flag === '--out') out = resolve(value ?? '');
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return { config, out };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function summarize(r: MnistResult, target: number, m = 8000) {
  let elapsed = 0;
  let toTarget: number | null = null;
  for (const e of r.epochs) {
    elapsed += e.seconds;
    if (toTarget === null && e.accuracy >= target) toTarget = elapsed;
  }
  const epochSeconds = r.epochs.length ? median(r.epochs.map((e) => e.seconds)) : NaN;
  return {
    contender: r.contender, detail: r.detail, error: r.error ?? null, epochs: r.epochs.length, epochSeconds,
    examplesPerSecond: m / epochSeconds, best: Math.max(...r.epochs.map((e) => e.accuracy)), toTarget,
  };
}

async function main(): Promise<number> {
  const { config, out } = parse(process.argv.slice(2));
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.exposeFunction('mnistProgress', (line: string) => process.stderr.write(`${line}\n`));
    await page.goto(`${server.url}bench/mnist.html`);
    await page.waitForFunction(() => document.title === 'mnist bench ready', null, { timeout: 60_000 });
    page.setDefaultTimeout(0);
    const { adapter, results } = await page.evaluate((c) => window.benchMnist!(c), config);
    const rows = results.map((r) => summarize(r, config.target));
    const ours = rows.find((r) => r.contender === 'webgpu');
    const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
    console.log(`\nAdapter: ${adapter}; ${new Date().toISOString().slice(0, 10)}; MNIST 784-${config.hidden}-10, ReLU, softmax, Adam (α ${config.learningRate}), ` +
      `batches of ${config.batchSize}, 8,000 training and 2,000 test digits, up to ${config.epochs} epochs, the same initial weights and batches for all\n`);
    console.log(`| contender | s/epoch (median) | examples/s | epochs | best test accuracy | training time to ${pct(config.target)} | this trainer is … faster to it |`);
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const faster = ours?.toTarget && r.toTarget && r !== ours ? `${(r.toTarget / ours.toTarget).toFixed(2)}×` : r === ours ? '' : '–';
      const reached = r.toTarget === null ? `not in ${r.epochs} epochs` : `${r.toTarget.toFixed(1)} s`;
      console.log(`| ${r.contender} (${r.detail}) | ${r.epochSeconds.toFixed(2)} | ${Math.round(r.examplesPerSecond).toLocaleString('en-US')} | ${r.epochs} | ${pct(r.best)} | ${reached} | ${faster} |${r.error ? ` error: ${r.error}` : ''}`);
    }
    if (ours) {
      console.log('\nEpoch time, this trainer against each (÷, higher is faster):');
      for (const r of rows) if (r !== ours) console.log(`  ${r.contender}: ${(r.epochSeconds / ours.epochSeconds).toFixed(2)}×`);
    }
    writeJson(out, { date: new Date().toISOString(), adapter, config, rows, results });
    return rows.some((r) => r.error) ? 1 : 0;
  } finally {
    await browser.close();
    await server.close();
  }
}

runMain(main);
