// `npm run soak`: a trainer trains for ten minutes (by default) in headless Chromium
// while its settings change every few seconds (learning rate, batch size, optimizer,
// reset; cli/soak-page.ts); then the playground page runs as long, driven through every
// control it has, lost devices among the changes (cli/soak-playground.ts); then the MNIST
// page (cli/soak-mnist.ts). Each run must hold: nothing throws, the live GPU buffers stay
// the same for the same configuration (and the trainer's are all freed at the end), the
// library holds no buffer beyond the trainer in use, the JS heap stays within a bound,
// and in runs of five minutes or more every kind of change happens at least five times
// (cli/soak-report.ts). Prints a table per run, writes JSON, exits 1 when one did not hold.
//   npm run soak -- --minutes 10 --change-every 3 --only trainer|playground|mnist --out out/soak.json
import { resolve } from 'node:path';
import { launchChromium } from './browser.ts';
import { REPO_ROOT, startServer } from './server.ts';
import type { Browser } from 'playwright';
import type { SoakConfig, SoakResult, SoakSample } from './soak-page.ts';
import { soakPlayground } from './soak-playground.ts';
import { soakMnist } from './soak-mnist.ts';
import { DEFAULT_SOAK_BOUNDS, judgeSoak, soakTable } from './soak-report.ts';
import { runMain, writeJson } from './command.ts';

const USAGE = `npm run soak -- [options]
  --minutes X        how long each run lasts (default 10)
  --only WHAT        trainer, playground or mnist (default: all three, one after the other)
  --change-every S   seconds between two changes of settings (default 3)
  --seed N           order of the changes (default 1)
  --heap-bound MB    most the JS heap may grow, start against end (default ${DEFAULT_SOAK_BOUNDS.heapGrowthBytes / 2 ** 20})
  --min-visits N     each kind of change at least N times (default 5 in runs of 5 minutes or more, else 0)
  --out FILE         JSON output (default out/soak.json)`;

const SUBJECTS = ['trainer', 'playground', 'mnist'] as const;
type Subject = (typeof SUBJECTS)[number];

function parse(argv: string[]) {
  const o = { minutes: 10, changeEvery: 3, seed: 1, only: null as Subject | null, heapBound: DEFAULT_SOAK_BOUNDS.heapGrowthBytes / 2 ** 20, minVisits: null as number | null, out: resolve(REPO_ROOT, 'out/soak.json') };
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
    else if (flag === '--min-visits') o.minVisits = Math.round(number());
    else if (flag === '--only') {
      const v = argv[++i];
      if (!(SUBJECTS as readonly string[]).includes(v)) throw new Error(`--only: expected one of ${SUBJECTS.join(', ')}, got ${JSON.stringify(v)}\n${USAGE}`);
      o.only = v as Subject;
    } else if (flag === '--out') o.out = resolve(argv[++i] ?? '');
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return o;
}

/** The progress line of a sample: on a terminal one line rewritten, else a line per tenth of the run. */
function progressPrinter(seconds: number): (s: SoakSample) => void {
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  return (s) => {
    const line = `[${String(Math.round(s.t)).padStart(4)} s / ${seconds} s] ${s.change.padEnd(13)} ${s.settings.padEnd(26)} ` +
      `${s.liveBuffers} buffers, heap ${s.heapBytes === null ? '?' : `${(s.heapBytes / 2 ** 20).toFixed(1)} MB`}, step ${s.steps}` +
      `${Number.isFinite(s.cost) ? `, cost ${s.cost.toFixed(4)}` : ''}`;
    const tenth = Math.floor((10 * s.t) / seconds);
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (tenth > lastTenth) process.stderr.write(`${line}\n`);
    lastTenth = tenth;
  };
}

async function soakTrainer(browser: Browser, url: string, config: SoakConfig, progress: (s: SoakSample) => void): Promise<SoakResult> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await page.exposeFunction('soakProgress', progress);
  await page.goto(`${url}cli/soak.html`);
  await page.waitForFunction(() => typeof window.runSoak === 'function', null, { timeout: 60_000 });
  page.setDefaultTimeout(0);
  const result = (await page.evaluate((c) => window.runSoak!(c), config)) as SoakResult;
  if (pageErrors.length && !result.error) result.error = `page errors: ${pageErrors.join('; ')}`;
  await page.close();
  return result;
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  const seconds = o.minutes * 60;
  const config: SoakConfig = { seconds, changeEvery: o.changeEvery, seed: o.seed };
  const subjects: Subject[] = o.only ? [o.only] : [...SUBJECTS];
  const minVisits = o.minVisits ?? (o.minutes >= 5 ? 5 : 0);
  const server = await startServer();
  // A collectable heap to measure: gc() before each sample, and unquantized heap sizes.
  const browser = await launchChromium({ extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  const runs: Record<string, { verdict: ReturnType<typeof judgeSoak>; result: SoakResult }> = {};
  try {
    for (const subject of subjects) {
      process.stderr.write(`Soak: the ${subject}, ${o.minutes} min\n`);
      const progress = progressPrinter(seconds);
      const result = subject === 'trainer'
        ? await soakTrainer(browser, server.url, config, progress)
        : await (subject === 'playground' ? soakPlayground : soakMnist)(await browser.newPage(), server.url, config, progress);
      if (process.stderr.isTTY) process.stderr.write('\n');
      const verdict = judgeSoak(result, { heapGrowthBytes: o.heapBound * 2 ** 20, minVisits });
      console.log(`\nSoak of the ${subject} (${o.minutes} min, settings changed every ${o.changeEvery} s):\n${soakTable(result, verdict, seconds)}`);
      runs[subject] = { verdict, result };
    }
    writeJson(o.out, { config: o, runs });
    return Object.values(runs).every((r) => r.verdict.ok) ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

runMain(main);
