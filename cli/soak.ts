// `npm run soak`: a trainer trains for ten minutes (by default) in headless Chromium
// while its settings change every few seconds (learning rate, batch size, optimizer,
// reset; cli/soak-page.ts), and the run must hold: nothing throws, the live GPU buffers
// stay the same for the same configuration and all are freed at the end, and the JS
// heap stays within a bound (cli/soak-report.ts). Prints a table, writes JSON, exits 1
// when it did not hold.
//   npm run soak -- --minutes 10 --change-every 3 --out out/soak.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launchChromium } from './browser.ts';
import { REPO_ROOT, startServer } from './server.ts';
import type { SoakResult, SoakSample } from './soak-page.ts';
import { DEFAULT_SOAK_BOUNDS, judgeSoak, soakTable } from './soak-report.ts';

const USAGE = `npm run soak -- [options]
  --minutes X        how long the trainer trains (default 10)
  --change-every S   seconds between two changes of settings (default 3)
  --seed N           order of the changes (default 1)
  --heap-bound MB    most the JS heap may grow, start against end (default ${DEFAULT_SOAK_BOUNDS.heapGrowthBytes / 2 ** 20})
  --out FILE         JSON output (default out/soak.json)`;

function parse(argv: string[]) {
  const o = { minutes: 10, changeEvery: 3, seed: 1, heapBound: DEFAULT_SOAK_BOUNDS.heapGrowthBytes / 2 ** 20, out: resolve(REPO_ROOT, 'out/soak.json') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const number = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag}: expected a number > 0, got ${JSON.stringify(argv[i])}\n${USAGE}`);
      return v;
    };
    if (flag === '--minutes') o.minutes = number();
    else if (flag === '--change-every') o.changeEvery = number();
    else if (flag === '--seed') o.seed = Math.round(number());
    else if (flag === '--heap-bound') o.heapBound = number();
    else if (flag === '--out') o.out = resolve(argv[++i] ?? '');
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return o;
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  const seconds = o.minutes * 60;
  const server = await startServer();
  // A collectable heap to measure: gc() before each sample, and unquantized heap sizes.
  const browser = await launchChromium({ extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    const tty = process.stderr.isTTY === true;
    let lastTenth = -1;
    await page.exposeFunction('soakProgress', (s: SoakSample) => {
      const line = `[${String(Math.round(s.t)).padStart(4)} s / ${seconds} s] ${s.change.padEnd(13)} ${s.settings.padEnd(26)} ` +
        `${s.liveBuffers} buffers, heap ${s.heapBytes === null ? '?' : `${(s.heapBytes / 2 ** 20).toFixed(1)} MB`}, step ${s.steps}` +
        `${Number.isFinite(s.cost) ? `, cost ${s.cost.toFixed(4)}` : ''}`;
      const tenth = Math.floor((10 * s.t) / seconds);
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (tenth > lastTenth) process.stderr.write(`${line}\n`);
      lastTenth = tenth;
    });
    await page.goto(`${server.url}cli/soak.html`);
    await page.waitForFunction(() => typeof window.runSoak === 'function', null, { timeout: 60_000 });
    page.setDefaultTimeout(0);
    const result = (await page.evaluate((c) => window.runSoak!(c), { seconds, changeEvery: o.changeEvery, seed: o.seed })) as SoakResult;
    if (tty) process.stderr.write('\n');
    if (pageErrors.length && !result.error) result.error = `page errors: ${pageErrors.join('; ')}`;
    const verdict = judgeSoak(result, { heapGrowthBytes: o.heapBound * 2 ** 20 });
    console.log(`\nSoak (${o.minutes} min, settings changed every ${o.changeEvery} s):\n${soakTable(result, verdict, seconds)}`);
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, JSON.stringify({ config: o, verdict, result }, null, 1) + '\n');
    console.log(`JSON: ${o.out}`);
    return verdict.ok ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
