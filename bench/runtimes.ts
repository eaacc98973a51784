// `npm run bench:runtimes`: the two runtimes of `npm run train` side by side, as a
// user meets them: each run is the CLI as a subprocess (--json), headless Chromium
// (--runtime browser) and Node on Dawn (--runtime node) alternating, so that this
// machine's drift falls on both alike. Start-up is the run's wall time less its
// training time (data, browser or Dawn, device, pipelines, teardown); steps/s is the
// CLI's own (train() alone). The two must end on the same cost. Table and JSON.
//   npm run bench:runtimes -- --repeats 3 --cases flower,wide,spiral,mnist --out bench/results/runtimes.json
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../cli/server.ts';
import { runMain, writeJson } from '../cli/command.ts';

const RUNTIMES = ['browser', 'node'] as const;
type Runtime = (typeof RUNTIMES)[number];

const CASES: Record<string, { label: string; args: string[] }> = {
  flower: { label: 'flower 2-4-1, full batch, 10,000 steps', args: [] },
  wide: { label: 'flower 2-64-1, full batch, 10,000 steps', args: ['--hidden', '64'] },
  spiral: {
    label: 'spiral 2-16-16-3 softmax, Adam, B = 64, 50 epochs',
    args: ['--dataset', 'spiral', '--classes', '3', '--layers', '16,16', '--activation', 'relu', '--head', 'softmax', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '64', '--epochs', '50'],
  },
  mnist: {
    label: 'MNIST 784-128-10 softmax, Adam, B = 128, 1 epoch',
    args: ['--dataset', 'mnist', '--layers', '128', '--activation', 'relu', '--head', 'softmax', '--optimizer', 'adam', '--lr', '0.001', '--batch-size', '128', '--epochs', '1'],
  },
};

const USAGE = `npm run bench:runtimes -- [--repeats 3] [--cases ${Object.keys(CASES).join(',')}] [--steps N] [--out FILE]`;

interface Run {
  case: string;
  runtime: Runtime;
  wallSeconds: number;
  trainSeconds: number;
  startupSeconds: number;
  stepsPerSecond: number;
  cost: number;
  adapter: string;
}

function parse(argv: string[]) {
  const o = { repeats: 3, cases: Object.keys(CASES), steps: null as number | null, out: resolve(REPO_ROOT, 'bench/results/runtimes.json') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (flag === '--repeats' || flag === '--steps') {
      const v = Number(value);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${flag}: expected a positive integer, got ${JSON.stringify(value)}\n${USAGE}`);
      if (flag === '--repeats') o.repeats = v;
      else o.steps = v;
    } else if (flag === '--cases') {
      o.cases = (value ?? '').split(',');
      const unknown = o.cases.filter((c) => !(c in CASES));
      if (unknown.length) throw new Error(`--cases: unknown ${unknown.join(', ')}; expected some of ${Object.keys(CASES).join(', ')}`);
    } else if (flag === '--out') o.out = resolve(value ?? '');
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return o;
}

function train(args: string[]): Promise<{ wall: number; result: Record<string, any> }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/train.ts', ...args, '--json'], { cwd: REPO_ROOT, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return fail(new Error(`npm run train -- ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
      done({ wall, result: JSON.parse(stdout.trim().split('\n').pop()!) });
    });
  });
}

/** A case's arguments, with --steps N in place of its own length (--epochs N) when given. */
function withSteps(args: string[], steps: number | null): string[] {
  if (steps === null) return args;
  const i = args.indexOf('--epochs');
  const rest = i >= 0 ? [...args.slice(0, i), ...args.slice(i + 2)] : args;
  return [...rest, '--steps', String(steps)];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  const runs: Run[] = [];
  const total = o.cases.length * o.repeats * RUNTIMES.length;
  for (const name of o.cases) {
    for (let r = 0; r < o.repeats; r++) {
      // Alternate which runtime goes first.
      for (const runtime of r % 2 === 0 ? RUNTIMES : [...RUNTIMES].reverse()) {
        const args = [...withSteps(CASES[name].args, o.steps), '--runtime', runtime];
        const { wall, result } = await train(args);
        runs.push({
          case: name, runtime, wallSeconds: wall, trainSeconds: result.seconds, startupSeconds: wall - result.seconds,
          stepsPerSecond: result.stepsPerSecond, cost: result.cost, adapter: result.adapter,
        });
        process.stderr.write(`[${runs.length}/${total}] ${name} ${runtime}: ${fmt(result.stepsPerSecond)} steps/s, start-up ${(wall - result.seconds).toFixed(2)} s\n`);
      }
    }
  }
  const rows = o.cases.flatMap((name) =>
    RUNTIMES.map((runtime) => {
      const mine = runs.filter((x) => x.case === name && x.runtime === runtime);
      return { case: name, runtime, startupSeconds: median(mine.map((x) => x.startupSeconds)), stepsPerSecond: median(mine.map((x) => x.stepsPerSecond)), cost: mine[0].cost };
    }),
  );
  let agree = true;
  console.log(`\nAdapters: browser: ${runs.find((x) => x.runtime === 'browser')!.adapter}; node: ${runs.find((x) => x.runtime === 'node')!.adapter}`);
  console.log(`${new Date().toISOString().slice(0, 10)}; medians of ${o.repeats} runs each, runtimes alternating\n`);
  console.log('| case | runtime | start-up s | steps/s | node ÷ browser (steps/s) | final cost |');
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const name of o.cases) {
    const [b, n] = RUNTIMES.map((rt) => rows.find((x) => x.case === name && x.runtime === rt)!);
    const same = b.cost === n.cost;
    agree &&= same;
    const label = o.steps ? `${CASES[name].label.replace(/, [^,]*$/, '')}, ${o.steps} steps` : CASES[name].label;
    console.log(`| ${label} | browser | ${b.startupSeconds.toFixed(2)} | ${fmt(b.stepsPerSecond)} | | ${b.cost.toFixed(6)} |`);
    console.log(`| | node | ${n.startupSeconds.toFixed(2)} | ${fmt(n.stepsPerSecond)} | ${(n.stepsPerSecond / b.stepsPerSecond).toFixed(2)} | ${same ? 'same' : `DIFFERS: ${n.cost}`} |`);
  }
  console.log(agree ? '\nBoth runtimes end on the same cost in every case.' : '\nTHE RUNTIMES DISAGREE (see the last column).');
  writeJson(o.out, { date: new Date().toISOString(), config: o, agree, rows, runs });
  return agree ? 0 : 1;
}

runMain(main);
