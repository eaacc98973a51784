// Command-line options of `npm run train`, parsed without any I/O so every rule is
// unit-tested in Node. Bad input fails here, before a browser starts (style point
// 9): a value error is an InputError naming the option, what was expected and what
// came; a malformed command line (unknown option, missing value, options that
// exclude each other) is a UsageError. The CLI exits 2 on either.
import { DATASET_NAMES } from '../src/data/datasets.ts';
import { InputError } from '../src/errors.ts';
import { ACTIVATIONS, INIT_SCHEMES, type Activation, type InitScheme } from '../src/types.ts';

export type DatasetName = (typeof DATASET_NAMES)[number];

/** The command line is malformed, as opposed to one value being out of range. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

export type DataSource =
  | { kind: 'generated'; name: DatasetName; m?: number; noise?: number }
  | { kind: 'csv'; file: string };

export interface TrainOptions {
  data: DataSource;
  /** n1; null when not given (then 4, or the size saved in --init). */
  hidden: number | null;
  /** null when not given (then tanh, or the activation saved in --init). */
  activation: Activation | null;
  learningRate: number;
  steps: number;
  /** Seeds the weight initialization and the generated data set. */
  seed: number;
  initScheme: InitScheme;
  /** Saved model.json to start from, or null. */
  init: string | null;
  logEvery: number;
  out: string | null;
  json: boolean;
  help: boolean;
}

export const DEFAULTS = {
  dataset: 'flower' as DatasetName,
  hidden: 4,
  activation: 'tanh' as Activation,
  learningRate: 1.2,
  steps: 10_000,
  seed: 1,
  initScheme: 'course' as InitScheme,
};

/** --log-every when not given: about a hundred history points, at least every step. */
export const defaultLogEvery = (steps: number): number => Math.max(1, Math.round(steps / 100));

type Kind = 'string' | 'posInt' | 'nonNegInt' | 'posNumber' | 'nonNegNumber' | 'flag' | DatasetChoices;
type DatasetChoices = readonly string[];

interface Spec {
  name: string;
  kind: Kind;
  arg?: string;
  help: string;
}

// The one list of options: the parser, the --help text and the "did you mean"
// hint all read it.
const SPECS: Spec[] = [
  { name: 'dataset', kind: DATASET_NAMES, arg: 'NAME', help: `generated data set: ${DATASET_NAMES.join(', ')} (default ${DEFAULTS.dataset})` },
  { name: 'data', kind: 'string', arg: 'FILE.csv', help: 'train on a CSV file instead: a row per example, feature columns then a 0/1 label, optional header' },
  { name: 'm', kind: 'posInt', arg: 'N', help: 'number of examples of the generated set (default: the set\'s own, 400 for flower)' },
  { name: 'noise', kind: 'nonNegNumber', arg: 'X', help: 'noise of the generated set (default: the set\'s own)' },
  { name: 'hidden', kind: 'posInt', arg: 'N', help: `hidden units n1 (default ${DEFAULTS.hidden}, or the size saved in --init)` },
  { name: 'activation', kind: ACTIVATIONS, arg: 'NAME', help: `hidden activation: ${ACTIVATIONS.join(', ')} (default ${DEFAULTS.activation}, or --init's)` },
  { name: 'lr', kind: 'posNumber', arg: 'X', help: `learning rate alpha (default ${DEFAULTS.learningRate})` },
  { name: 'steps', kind: 'posInt', arg: 'N', help: `gradient descent steps (default ${DEFAULTS.steps})` },
  { name: 'seed', kind: 'nonNegInt', arg: 'N', help: `seed of the weight initialization and the generated data (default ${DEFAULTS.seed})` },
  { name: 'init-scheme', kind: INIT_SCHEMES, arg: 'NAME', help: `weight initialization: ${INIT_SCHEMES.join(', ')} (default ${DEFAULTS.initScheme})` },
  { name: 'init', kind: 'string', arg: 'FILE.json', help: 'start from parameters saved in a model.json (from --out)' },
  { name: 'log-every', kind: 'posInt', arg: 'N', help: 'record cost and accuracy every N steps (default: steps/100, at least 1)' },
  { name: 'out', kind: 'string', arg: 'DIR', help: 'write model.json, history.json/.csv, boundary.png, summary.json there' },
  { name: 'json', kind: 'flag', help: 'print the result as one JSON object on the last line of stdout' },
  { name: 'help', kind: 'flag', help: 'show this help' },
];

export function usage(): string {
  const rows = SPECS.map((s) => [`--${s.name}${s.arg ? ` ${s.arg}` : ''}`, s.help]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    'Train the one-hidden-layer network of the gradient-descent notes on WebGPU.',
    '',
    'Usage: npm run train -- [options]',
    '',
    'Options (--opt VALUE or --opt=VALUE):',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    'Examples:',
    '  npm run train -- --steps 2000',
    '  npm run train -- --dataset moons --hidden 8 --activation relu --lr 0.5 --out out/moons',
    '  npm run train -- --data points.csv --json',
    '  npm run train -- --init out/moons/model.json --steps 500',
  ].join('\n');
}

export const USAGE_HINT = 'Run `npm run train -- --help` for the list of options.';

// Decimal numbers only: Number() would also take '', '0x10', ' 1', 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_SEED = 2 ** 32 - 1;

function convert(spec: Spec, raw: string): string | number {
  const option = `--${spec.name}`;
  if (Array.isArray(spec.kind)) {
    if (!spec.kind.includes(raw)) throw new InputError(option, `one of ${spec.kind.join(', ')}`, raw);
    return raw;
  }
  switch (spec.kind) {
    case 'string':
      if (raw === '') throw new InputError(option, `a ${spec.arg}`, raw);
      return raw;
    case 'posInt':
    case 'nonNegInt': {
      const expected = spec.kind === 'posInt' ? 'a positive integer' : `an integer from 0 to ${MAX_SEED}`;
      const v = DECIMAL.test(raw) ? Number(raw) : NaN;
      const ok = Number.isSafeInteger(v) && (spec.kind === 'posInt' ? v > 0 : v >= 0 && v <= MAX_SEED);
      if (!ok) throw new InputError(option, expected, raw);
      return v;
    }
    case 'posNumber':
    case 'nonNegNumber': {
      const expected = spec.kind === 'posNumber' ? 'a number > 0' : 'a number >= 0';
      const v = DECIMAL.test(raw) ? Number(raw) : NaN;
      const ok = Number.isFinite(v) && (spec.kind === 'posNumber' ? v > 0 : v >= 0);
      if (!ok) throw new InputError(option, expected, raw);
      return v;
    }
    default:
      throw new Error(`unreachable: kind ${String(spec.kind)}`);
  }
}

/** Edit distance, for "did you mean --hidden?" on a typo. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function unknownOption(arg: string): UsageError {
  const name = arg.replace(/^-+/, '').split('=')[0];
  const best = SPECS.map((s) => ({ s, d: distance(name, s.name) })).sort((x, y) => x.d - y.d)[0];
  const hint = best && best.d <= 2 ? ` Did you mean --${best.s.name}?` : '';
  return new UsageError(arg, `Unknown option ${arg}.${hint}`);
}

/** Parses process.argv.slice(2). Throws UsageError or InputError. */
export function parseTrainArgs(argv: readonly string[]): TrainOptions {
  const given = new Map<string, string | number | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      given.set('help', true);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(arg, `Unexpected argument ${JSON.stringify(arg)}: options start with --.`);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = SPECS.find((s) => s.name === name);
    if (!spec) throw unknownOption(arg);
    if (given.has(name)) throw new UsageError(`--${name}`, `--${name} is given more than once.`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name}`, `--${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}.`);
      given.set(name, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) {
      raw = arg.slice(eq + 1);
    } else {
      // "--steps --json": the next word is an option, not this option's value.
      // Negative numbers are still taken so that "--lr -1" says "expected > 0".
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && !DECIMAL.test(next))) {
        throw new UsageError(`--${name}`, `--${name} needs a value: --${name} ${spec.arg}.`);
      }
      raw = next;
      i++;
    }
    given.set(name, convert(spec, raw));
  }

  const get = <T>(name: string): T | undefined => given.get(name) as T | undefined;
  if (given.has('data') && given.has('dataset')) {
    throw new UsageError('--data', '--data and --dataset exclude each other: train on a CSV file or on a generated set.');
  }
  for (const name of ['m', 'noise']) {
    if (given.has('data') && given.has(name)) {
      throw new UsageError(`--${name}`, `--${name} applies to generated data sets only, not to --data ${get<string>('data')}.`);
    }
  }
  if (given.has('init') && given.has('init-scheme')) {
    throw new UsageError('--init-scheme', '--init-scheme has no effect with --init: the weights come from the file.');
  }

  const file = get<string>('data');
  const data: DataSource = file
    ? { kind: 'csv', file }
    : {
        kind: 'generated',
        name: get<DatasetName>('dataset') ?? DEFAULTS.dataset,
        ...(given.has('m') ? { m: get<number>('m') } : {}),
        ...(given.has('noise') ? { noise: get<number>('noise') } : {}),
      };
  const steps = get<number>('steps') ?? DEFAULTS.steps;
  return {
    data,
    hidden: get<number>('hidden') ?? null,
    activation: get<Activation>('activation') ?? null,
    learningRate: get<number>('lr') ?? DEFAULTS.learningRate,
    steps,
    seed: get<number>('seed') ?? DEFAULTS.seed,
    initScheme: get<InitScheme>('init-scheme') ?? DEFAULTS.initScheme,
    init: get<string>('init') ?? null,
    logEvery: get<number>('log-every') ?? defaultLogEvery(steps),
    out: get<string>('out') ?? null,
    json: given.has('json'),
    help: given.has('help'),
  };
}

/** What a saved model fixes: its layer sizes [n0, n1, 1] and activation. */
export interface SavedShape {
  file: string;
  sizes: number[];
  activation: Activation;
}

/**
 * The network to train: sizes [n0, n1, 1] and activation. From --init the file's
 * shape is used; --hidden / --activation may repeat it but not contradict it, and
 * its n0 must match the data's.
 */
export function resolveNetwork(
  opts: Pick<TrainOptions, 'hidden' | 'activation'>,
  n0: number,
  saved?: SavedShape,
): { sizes: number[]; activation: Activation } {
  if (!saved) {
    return { sizes: [n0, opts.hidden ?? DEFAULTS.hidden, 1], activation: opts.activation ?? DEFAULTS.activation };
  }
  const [savedN0, savedN1] = saved.sizes;
  if (saved.sizes.length !== 3) {
    throw new InputError(`--init ${saved.file}`, 'a model with one hidden layer, sizes [n0, n1, 1]', `[${saved.sizes.join(', ')}]`);
  }
  if (opts.hidden !== null && opts.hidden !== savedN1) {
    throw new InputError('--hidden', `${savedN1} (the hidden size saved in ${saved.file}), or leave it out`, opts.hidden);
  }
  if (opts.activation !== null && opts.activation !== saved.activation) {
    throw new InputError('--activation', `${saved.activation} (the activation saved in ${saved.file}), or leave it out`, opts.activation);
  }
  if (savedN0 !== n0) {
    throw new InputError(`--init ${saved.file}`, `a model with n0 = ${n0} inputs, as the data has`, `n0 = ${savedN0}`);
  }
  return { sizes: saved.sizes.slice(), activation: saved.activation };
}
