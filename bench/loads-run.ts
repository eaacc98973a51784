// `npm run bench:loads`: what one storage load costs on this adapter, measured as one
// matmul (the MNIST network's forward pass shape) read in six ways, side by side in
// one headless Chromium run (bench/loads.ts). Prints a table with each variant's time
// and its ratio to plain gathers, checks that the variants agree, and writes JSON.
//   npm run bench:loads -- --m 2000 --repeats 5 --out bench/results/loads.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launchChromium } from '../cli/browser.ts';
import { REPO_ROOT, startServer } from '../cli/server.ts';
import type { LoadsConfig, LoadsRow } from './loads.ts';

const USAGE = `npm run bench:loads -- [--n0 784] [--n1 128] [--m 2000] [--repeats 5] [--out FILE]`;

function parseArgs(argv: string[]): { config: LoadsConfig; out: string } {
  const config: LoadsConfig = { n0: 784, n1: 128, m: 2000, repeats: 5 };
  let out = resolve(REPO_ROOT, 'bench/results/loads.json');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const key = flag.replace(/^--/, '');
    if (flag === '--out') out = resolve(argv[++i] ?? '');
    else if (key in config) {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${flag}: expected a positive integer, got ${argv[i]}\n${USAGE}`);
      config[key as keyof LoadsConfig] = v;
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (config.n1 % 32 !== 0) throw new Error(`--n1: expected a multiple of 32, got ${config.n1}`);
  return { config, out };
}

async function main(): Promise<number> {
  const { config, out } = parseArgs(process.argv.slice(2));
  const server = await startServer();
  const browser = await launchChromium({});
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${server.url}bench/page.html`);
    await page.waitForFunction(() => document.title === 'bench ready', null, { timeout: 60_000 });
    const result = await page.evaluate((c) => window.bench.loads(c), config);
    const base = result.rows.find((r: LoadsRow) => r.variant === 'gathers')!.ms;
    const fmas = (config.n0 * config.n1 * config.m) / 1e6;
    console.log(`\nAdapter: ${result.adapter}; ${result.date.slice(0, 10)}; Z = W·X, W ${config.n1}×${config.n0}, X ${config.n0}×${config.m} (${fmas.toFixed(0)}M multiply-adds), median of ${config.repeats}\n`);
    console.log('| W read as | ms | ÷ gathers (time) | Z agrees with gathers |');
    console.log('| --- | ---: | ---: | --- |');
    let agree = true;
    for (const r of result.rows as LoadsRow[]) {
      const ok = r.maxRelDiff === null ? (r.variant === 'gathers' ? 'reference' : 'not compared (no W)') : r.maxRelDiff < 1e-5 ? `yes (${r.maxRelDiff.toExponential(1)})` : `NO (${r.maxRelDiff.toExponential(1)})`;
      if (r.maxRelDiff !== null && !(r.maxRelDiff < 1e-5)) agree = false;
      console.log(`| ${r.variant} | ${r.ms.toFixed(1)} | ${(r.ms / base).toFixed(2)} | ${ok} |`);
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ ...result, agree }, null, 2));
    console.log(`\nJSON: ${out}`);
    return agree ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
