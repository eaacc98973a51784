// `npm run train`: trains the network of the notes on WebGPU from the command line.
// WebGPU lives in the browser here (see shared/PITFALLS.md), so this file is the
// Node half: it checks the options and loads the data (bad input fails before a
// browser starts), serves the repository with Vite, opens cli/page.html in
// headless Chromium, calls window.runTraining there, draws the progress bar from
// the page's reports, and prints or writes the result.
//
// Exit status: 0 done, 1 failed (bad file, no browser, GPU error), 2 bad options,
// 130 / 143 interrupted.
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Browser } from 'playwright';
import { makeDataset, REGRESSION_DATASETS, type DatasetName as GeneratedName } from '../src/data/datasets.ts';
import { dataNames, parseCsvData } from '../src/data/csv.ts';
import { splitDataset } from '../src/data/split.ts';
import { FileFormatError, InputError } from '../src/errors.ts';
import type { KernelTime } from '../src/gpu/profile.ts';
import { parseModelJson, toModelJson, type DataNames, type ModelJson } from '../src/model/model-json.ts';
import type { Dataset } from '../src/types.ts';
import { loadMnist } from './mnist.ts';
import { defaultInitScheme, defaultLogEvery, defaultTestEvery, parseTrainArgs, resolveNetwork, usage, USAGE_HINT, UsageError, type DataShape, type TrainOptions } from './options.ts';
import { confusionText, fsReason, OutputError, writeOutputs } from './output.ts';
import type { EncodedData, TrainingConfig, TrainingResult } from './run-training.ts';
import { ProgressBar } from './progress.ts';
import type { DevServer } from './server.ts';

/** How long the page may take to load the library and set window.runTraining. */
const PAGE_READY_TIMEOUT_MS = 60_000;

/** An error whose message is complete for the user; printed as is, then exit `code`. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

interface Prepared {
  data: Dataset;
  test: Dataset | null;
  shape: DataShape;
  config: TrainingConfig;
  /** Lines for stderr before training: what was inferred, what to consider. */
  notes: string[];
}

const encode = (d: Dataset): EncodedData => ({
  name: d.name, n0: d.n0, m: d.m,
  X: Buffer.from(d.X.buffer, d.X.byteOffset, d.X.byteLength).toString('base64'),
  Y: Buffer.from(d.Y.buffer, d.Y.byteOffset, d.Y.byteLength).toString('base64'),
});

/**
 * A note when the features' scales differ by more than 100× or leave ±10: one
 * learning rate cannot suit them all (the breast-cancer set trains to its majority
 * class that way), and --standardize is what helps.
 */
export function scaleNote(data: Dataset): string | null {
  const { n0, m, X } = data;
  let largest = 0;
  const spreads: number[] = [];
  for (let i = 0; i < n0; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < m; j++) {
      const x = X[i * m + j];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    largest = Math.max(largest, Math.abs(lo), Math.abs(hi));
    if (hi > lo) spreads.push(hi - lo);
  }
  const ratio = spreads.length ? Math.max(...spreads) / Math.min(...spreads) : 1;
  if (ratio <= 100 && largest <= 10) return null;
  const why = ratio > 100 ? `feature ranges differ by ${Math.round(ratio)}×` : `features reach ±${largest.toPrecision(3)}`;
  return `note: ${why}; consider --standardize (each feature to mean 0, standard deviation 1)`;
}

/**
 * --out before training: the directory, or its nearest existing ancestor, must be a
 * directory we may write in (a run must not end in a raw ENOTDIR after minutes of work).
 */
async function checkOutDir(out: string): Promise<void> {
  let path = resolve(out);
  for (;;) {
    const found = await stat(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? null : e));
    if (found instanceof Error) throw new CliError(`--out ${out}: cannot use ${path} (${fsReason(found)})`, 2);
    if (found) {
      if (!found.isDirectory()) {
        const what = path === resolve(out) ? 'it exists and is a file, not a directory' : `${path} is a file, not a directory`;
        throw new CliError(`--out ${out}: ${what}`, 2);
      }
      try {
        await access(path, constants.W_OK);
      } catch (e) {
        throw new CliError(`--out ${out}: cannot write in ${path} (${fsReason(e)})`, 2);
      }
      return;
    }
    const parent = dirname(path);
    if (parent === path) return;
    path = parent;
  }
}

/** Everything that can fail on bad input, done in Node before a browser starts. */
async function prepare(opts: TrainOptions): Promise<Prepared> {
  const readText = async (option: string, file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new CliError(`${option} ${file}: cannot read it (${fsReason(e)})`);
    }
  };
  const notes: string[] = [];
  let data: Dataset;
  let test: Dataset | null = null;
  let shape: Omit<DataShape, 'n0'>;
  let names: DataNames = {};
  if (opts.data.kind === 'csv') {
    const parsed = parseCsvData(await readText('--data', opts.data.file), opts.data.file, opts.task ? { task: opts.task } : {});
    data = parsed.data;
    shape = parsed.task === 'classify' ? { task: 'classify', outputs: parsed.classes } : { task: 'regress', outputs: 1 };
    notes.push(...parsed.notes);
    names = dataNames(parsed);
    const { testFile } = opts.data;
    if (testFile) test = parseCsvData(await readText('--test-data', testFile), testFile, { like: parsed }).data;
  } else if (opts.data.name === 'mnist') {
    ({ train: data, test } = await loadMnist());
    shape = { task: 'classify', outputs: 10 };
  } else {
    const name = opts.data.name as GeneratedName;
    data = makeDataset(name, { m: opts.data.m, noise: opts.data.noise, seed: opts.seed, classes: opts.data.classes });
    shape = REGRESSION_DATASETS.includes(name) ? { task: 'regress', outputs: 1 } : { task: 'classify', outputs: opts.data.classes ?? 2 };
  }
  if (opts.testSplit !== null) {
    const split = splitDataset(data, opts.testSplit, opts.seed);
    if (split.test.m === 0) throw new CliError(`--test-split ${opts.testSplit}: holds out no example of m = ${data.m}`, 2);
    ({ train: data, test } = split);
  }
  let initModel: ModelJson | undefined;
  let saved;
  // A CSV is standardized unless told not to (README, "Your own data"); a model from --init keeps its own.
  let standardize = opts.standardize ?? opts.data.kind === 'csv';
  if (opts.init) {
    const model = parseModelJson(await readText('--init', opts.init), opts.init);
    saved = { file: opts.init, sizes: model.params.sizes, hidden: model.hidden, head: model.head };
    if (opts.standardize !== null && opts.standardize !== (model.standardization !== null)) {
      const has = model.standardization ? 'is standardized (its statistics are kept in it)' : 'was trained on features as they are';
      throw new CliError(`--${opts.standardize ? '' : 'no-'}standardize does not apply with --init: ${opts.init} ${has}; leave the option out`, 2);
    }
    standardize = model.standardization !== null;
    if (model.names.classes && names.classes && model.names.classes.join('\n') !== names.classes.join('\n')) {
      throw new CliError(`--init ${opts.init}: its classes are ${model.names.classes.join(', ')}; the data's are ${names.classes.join(', ')}`, 2);
    }
    names = { ...model.names, ...names };
    initModel = toModelJson(model.params, model.hidden, { head: model.head, standardization: model.standardization, names, ...(model.optimizer ? { optimizer: model.optimizer } : {}) });
  }
  if (!standardize) {
    const note = scaleNote(data);
    if (note) notes.push(note);
  }
  let network;
  const dataShape = { n0: data.n0, ...shape };
  try {
    network = resolveNetwork(opts, dataShape, saved);
  } catch (e) {
    // A conflict between the options and --init's file is a usage problem.
    throw e instanceof InputError ? new CliError(e.message, 2) : e;
  }

  if (opts.out) await checkOutDir(opts.out);

  const batchSize = Math.min(opts.batchSize ?? data.m, data.m);
  const steps = opts.steps ?? opts.epochs! * Math.ceil(data.m / batchSize);
  const logEvery = opts.logEvery ?? defaultLogEvery(steps);
  const config: TrainingConfig = {
    data: encode(data),
    ...(test ? { test: encode(test) } : {}),
    sizes: network.sizes,
    hidden: network.hidden,
    head: network.head,
    learningRate: opts.learningRate,
    optimizer: { kind: opts.optimizer, ...(opts.beta1 !== null ? { beta1: opts.beta1 } : {}), ...(opts.beta2 !== null ? { beta2: opts.beta2 } : {}) },
    l2: opts.l2,
    l1: opts.l1,
    batchSize,
    standardize,
    names,
    steps,
    seed: opts.seed,
    initScheme: opts.initScheme ?? defaultInitScheme(network.hidden),
    saveState: opts.saveState,
    variant: opts.variant,
    profile: opts.profile,
    explain: opts.explain,
    logEvery,
    ...(test ? { testEvery: defaultTestEvery(logEvery, test.m, batchSize) } : {}),
    ...(initModel ? { initModel } : {}),
  };
  return { data, test, shape: dataShape, config, notes };
}

/**
 * Playwright reports a page rejection as "page.evaluate: Name: message\n    at ...".
 * Keep "Name: message", drop the prefix and the page's stack.
 */
function pageErrorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.replace(/^page\.evaluate: /, '').split('\n');
  while (lines.length > 1 && /^\s+at /.test(lines[lines.length - 1])) lines.pop();
  return lines.join('\n');
}

/** Opens the page and runs the training there. */
async function runInBrowser(browser: Browser, url: string, config: TrainingConfig, bar: ProgressBar): Promise<TrainingResult> {
  const page = await browser.newPage();
  // Until window.runTraining exists, an error on the page means it failed to
  // load; after that, page errors are printed and the run decides for itself.
  let ready = false;
  let fail: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  page.on('console', (msg) => {
    if (msg.type() === 'error') process.stderr.write(`[page] ${msg.text()}\n`);
  });
  page.on('pageerror', (err) => {
    process.stderr.write(`[page] ${err.name}: ${err.message}\n`);
    if (!ready) fail(new CliError(`cli/page.html failed to load: ${err.name}: ${err.message}`));
  });
  page.on('crash', () => fail(new CliError('the browser page crashed')));
  // A module that Vite fails to transform comes back as HTTP 500 and the page's
  // script silently never runs; fail now rather than after the ready timeout.
  page.on('response', (response) => {
    if (!ready && response.status() >= 400 && response.request().resourceType() === 'script') {
      fail(new CliError(`cli/page.html failed to load: ${response.url()} answered HTTP ${response.status()} (Vite's error is above)`));
    }
  });
  await page.exposeFunction('reportProgress', (step: number, cost: number, accuracy: number) => {
    bar.update(step, cost, accuracy);
  });

  await page.goto(`${url}cli/page.html`);
  await Promise.race([
    page.waitForFunction(() => typeof window.runTraining === 'function', null, { timeout: PAGE_READY_TIMEOUT_MS }),
    failed,
  ]);
  ready = true;
  try {
    return await Promise.race([page.evaluate((c) => window.runTraining!(c), config), failed]);
  } catch (e) {
    // Bad input the page found (the trainer's InputError, e.g. a network too large for the device) exits 2, as in Node.
    const message = pageErrorMessage(e);
    throw e instanceof CliError ? e : new CliError(message, message.startsWith('InputError: ') ? 2 : 1);
  }
}

function describeData(opts: TrainOptions, data: Dataset): string {
  return opts.data.kind === 'csv' ? `${opts.data.file} (m = ${data.m})` : `${data.name} (m = ${data.m})`;
}

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

/** --profile: each kernel's median time and share of the step, slowest first. */
function profileLines(profile: KernelTime[]): string[] {
  const total = profile.reduce((sum, k) => sum + k.microseconds, 0);
  const width = Math.max(...profile.map((k) => k.kernel.length));
  return [
    `${(total / 1000).toFixed(3)} ms in ${profile.length} kernels (each timed alone, median of 7):`,
    ...[...profile].sort((a, b) => b.microseconds - a.microseconds).map((k) =>
      `${k.kernel.padEnd(width)}  ${(k.microseconds / 1000).toFixed(3).padStart(8)} ms  ${((100 * k.microseconds) / total).toFixed(1).padStart(5)} %`),
  ];
}

function humanSummary(opts: TrainOptions, data: Dataset, config: TrainingConfig, r: TrainingResult, files: string[]): string {
  const from = opts.init ? `from ${opts.init}` : `${config.initScheme} init, seed ${config.seed}`;
  const rows: [string, string][] = [['final cost', r.cost.toFixed(6)]];
  if (r.trainAccuracy !== null) rows.push(['training accuracy', percent(r.trainAccuracy)]);
  if (r.trainRmse !== undefined) rows.push(['training RMSE', r.trainRmse.toPrecision(4)], ['training R²', r.trainR2!.toFixed(4)]);
  if (r.testAccuracy !== undefined) rows.push(['test accuracy', percent(r.testAccuracy)]);
  if (r.testRmse !== undefined) rows.push(['test RMSE', r.testRmse.toPrecision(4)], ['test R²', r.testR2!.toFixed(4)]);
  rows.push(['steps', String(r.steps)]);
  if (config.batchSize < data.m) rows.push(['epochs', `${+r.epochs.toFixed(3)} (batches of ${config.batchSize})`]);
  rows.push(
    ['time', `${r.seconds.toFixed(2)} s`],
    ['speed', `${Math.round(r.stepsPerSecond)} steps/s${config.batchSize < data.m ? `, ${Math.round(r.examplesPerSecond)} examples/s` : ''}`],
    ['step variant', r.variant],
    ['adapter', r.adapter],
  );
  if (r.confusion && r.classes && r.classes.length <= 12) {
    const [which, matrix] = r.confusion.test ? ['test', r.confusion.test] : ['training', r.confusion.train];
    rows.push([`${which} confusion`, confusionText(r.classes, matrix).join('\n' + ' '.repeat(21))]);
  }
  if (r.profile) rows.push(['GPU time per step', profileLines(r.profile).join('\n' + ' '.repeat(21))]);
  if (files.length) rows.push(['wrote', files.join('\n' + ' '.repeat(21))]);
  const layers = config.hidden.every((a) => a === config.hidden[0]) ? (config.hidden[0] ?? '') : config.hidden.join(',');
  const training = [
    `learning rate ${config.learningRate}`,
    ...(config.optimizer.kind !== 'sgd' ? [config.optimizer.kind] : []),
    ...(config.l2 ? [`L2 ${config.l2}`] : []),
    ...(config.l1 ? [`L1 ${config.l1}`] : []),
    ...(config.standardize ? ['standardized'] : []),
  ];
  return [
    `Trained [${config.sizes.join(', ')}] ${layers}${config.head !== 'sigmoid' ? ` ${config.head}` : ''} on ${describeData(opts, data)}, ` +
      `${training.join(', ')}, ${from}:`,
    ...rows.map(([k, v]) => `  ${k.padEnd(19)}${v}`),
  ].join('\n');
}

const write = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
  new Promise((resolve) => stream.write(text, () => resolve()));

async function main(argv: string[]): Promise<number> {
  let opts: TrainOptions;
  try {
    opts = parseTrainArgs(argv);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      await write(process.stderr, `error: ${e.message}\n${USAGE_HINT}\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    await write(process.stdout, usage() + '\n');
    return 0;
  }

  const { data, config, notes } = await prepare(opts);
  for (const note of notes) await write(process.stderr, `${note}\n`);

  let server: DevServer | null = null;
  let browser: Browser | null = null;
  const bar = new ProgressBar({ total: config.steps });
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    browser = null;
    server = null;
  };
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      // The run in flight fails once the browser closes; `interrupted` keeps
      // that failure from being reported as the reason.
      interrupted = code;
      bar.finish();
      process.stderr.write(`${signal}: stopping; closing the browser and the server\n`);
      void cleanup().finally(() => process.exit(code));
    });
  }

  let result: TrainingResult;
  try {
    if (opts.runtime === 'node') {
      // Loaded when used: Playwright and Vite take about two seconds to import, Dawn its own time.
      const { runInNode } = await import('./node-runtime.ts');
      result = await runInNode(config, (step, cost, accuracy) => bar.update(step, cost, accuracy)).catch((e: unknown) => {
        // As the page's errors read: "Name: message"; bad input exits 2.
        if (!(e instanceof Error)) throw new CliError(String(e));
        throw new CliError(`${e.name}: ${e.message}`, e instanceof InputError ? 2 : 1);
      });
    } else {
      const [{ startServer }, { launchChromium }] = await Promise.all([import('./server.ts'), import('./browser.ts')]);
      server = await startServer();
      browser = await launchChromium({ profiling: opts.profile }).catch((e: Error) => {
        throw new CliError(e.message);
      });
      result = await runInBrowser(browser, server.url, config, bar);
    }
  } finally {
    bar.finish();
    await cleanup();
  }

  const summary = {
    data: opts.data.kind === 'csv' ? opts.data.file : data.name,
    ...(opts.data.kind === 'csv' && opts.data.testFile ? { testData: opts.data.testFile } : {}),
    m: data.m,
    ...(config.test ? { testM: config.test.m } : {}),
    sizes: config.sizes,
    activation: config.hidden.every((a) => a === config.hidden[0]) ? (config.hidden[0] ?? null) : config.hidden,
    head: config.head,
    learningRate: config.learningRate,
    optimizer: config.optimizer.kind,
    ...(config.l2 ? { l2: config.l2 } : {}),
    ...(config.l1 ? { l1: config.l1 } : {}),
    batchSize: config.batchSize,
    ...(config.standardize ? { standardize: true } : {}),
    seed: config.seed,
    ...(opts.init ? { init: opts.init } : { initScheme: config.initScheme }),
    logEvery: config.logEvery,
  };
  if (result.explain !== undefined) {
    await write(process.stdout, (opts.json ? JSON.stringify({ ...summary, variant: result.variant, adapter: result.adapter, explain: result.explain }) : result.explain) + '\n');
    return 0;
  }
  let files: string[] = [];
  try {
    if (opts.out) files = await writeOutputs(opts.out, result, summary);
  } catch (e) {
    throw e instanceof OutputError ? new CliError(e.message) : e;
  }
  if (opts.json) {
    const { boundaryPng: _png, ...fields } = result;
    await write(process.stdout, JSON.stringify({ ...summary, ...fields, files }) + '\n');
  } else {
    await write(process.stdout, humanSummary(opts, data, config, result, files) + '\n');
  }
  return 0;
}

/** Exit status of the signal that stopped the run, or null. */
let interrupted: number | null = null;

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (e: unknown) => {
    if (interrupted !== null) return; // the signal handler exits once the browser is closed
    const code = e instanceof CliError ? e.code : 1;
    // A bad file's message is complete (the file, the line, what was expected); other errors keep their name.
    const message = e instanceof CliError || e instanceof FileFormatError || !(e instanceof Error) ? String((e as Error).message ?? e) : `${e.name}: ${e.message}`;
    await write(process.stderr, `error: ${message}\n`);
    process.exit(code);
  },
);
