// Command-line options of `npm run train`, parsed without any I/O so every rule is
// unit-tested in Node. Bad input fails here, before a browser starts (style point
// 9): a value error is an InputError naming the option, what was expected and what
// came; a malformed command line (unknown option, missing value, options that
// exclude each other) is a UsageError. The CLI exits 2 on either.
import { DATASET_NAMES } from '../src/data/datasets.ts';
import { InputError } from '../src/errors.ts';
import { ACTIVATIONS, HEADS, INIT_SCHEMES, OPTIMIZERS, STEP_VARIANTS, type Activation, type Head, type InitScheme, type OptimizerKind } from '../src/types.ts';

/** The generated sets, and `mnist`: the mnist package's 10,000 digits (cli/mnist.ts). */
export const CLI_DATASETS = [...DATASET_NAMES, 'mnist'] as const;
export type DatasetName = (typeof CLI_DATASETS)[number];
export type Task = 'classify' | 'regress';
/** Where `npm run train` trains (--runtime). */
export const RUNTIMES = ['browser', 'node'] as const;

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
  | { kind: 'generated'; name: DatasetName; m?: number; noise?: number; classes?: number }
  | { kind: 'csv'; file: string; testFile?: string };

export interface TrainOptions {
  data: DataSource;
  /** What the CSV's last column is; null: inferred from its values (generated sets know theirs). */
  task: Task | null;
  /** Hidden sizes n1, n2, …: --hidden N (one layer) or --layers N,N,…; null when not given (then [4], or --init's). */
  hidden: number[] | null;
  /** One for every hidden layer or one each; null when not given (then tanh, or --init's). */
  activation: Activation | Activation[] | null;
  /** null: sigmoid for two classes, softmax for more, linear for regression (or --init's). */
  head: Head | null;
  learningRate: number;
  /** Gradient steps; with --epochs, null (steps = epochs · ⌈m / batch size⌉). */
  steps: number | null;
  epochs: number | null;
  /** Examples per step; null: the full batch. */
  batchSize: number | null;
  optimizer: OptimizerKind;
  beta1: number | null;
  beta2: number | null;
  l2: number;
  l1: number;
  /** --standardize / --no-standardize; null when neither is given: on for a CSV (--data), off for generated sets. */
  standardize: boolean | null;
  /** Fraction of the examples held out as a test set; null (or --test-split 0): none (mnist: its fixed 2,000). */
  testSplit: number | null;
  /** Seeds the weight initialization and the generated data set. */
  seed: number;
  /** null: defaultInitScheme of the network's activations. */
  initScheme: InitScheme | null;
  /** Saved model.json to start from, or null. */
  init: string | null;
  /** null: about a hundred points over the run (defaultLogEvery). */
  logEvery: number | null;
  out: string | null;
  /** Save the optimizer's state in model.json. */
  saveState: boolean;
  /** Which step implementation (default auto). */
  variant: (typeof STEP_VARIANTS)[number];
  /** After training, time one step's kernels (timestamp queries) and print them. */
  profile: boolean;
  /** Print the step program and train nothing. */
  explain: boolean;
  /** Where the training runs: headless Chromium's WebGPU, or this Node process on Dawn. */
  runtime: (typeof RUNTIMES)[number];
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

/**
 * --init-scheme when not given: the course's 0.01·N(0, 1) (the seed's tanh network keeps its
 * numbers), and He's N(0, 2/n) when every hidden layer is relu or leaky-relu: a deep or wide
 * ReLU network started at 0.01 scale learns slowly (MNIST 784-128-10 with Adam, 10 epochs:
 * 91.95 % held out from the course's scale, 93.75 % from He's).
 */
export function defaultInitScheme(hidden: readonly Activation[]): InitScheme {
  return hidden.length > 0 && hidden.every((a) => a === 'relu' || a === 'leaky-relu') ? 'he' : DEFAULTS.initScheme;
}

/** --log-every when not given: about a hundred history points, at least every step. */
export const defaultLogEvery = (steps: number): number => Math.max(1, Math.round(steps / 100));

/**
 * How often the test set is evaluated: at logged steps, as often as costs at most
 * a tenth of the training. A step costs about three products per example of its
 * batch (forward, dW, dA), a test pass one per test example; so every k steps
 * with testM / (3 · batch · k) ≤ 0.1, k a multiple of logEvery.
 */
export function defaultTestEvery(logEvery: number, testM: number, batchSize: number): number {
  const k = Math.ceil(testM / (0.3 * batchSize));
  return logEvery * Math.max(1, Math.ceil(k / logEvery));
}

type Kind =
  | 'string' | 'posInt' | 'nonNegInt' | 'posNumber' | 'nonNegNumber' | 'unitInterval' | 'posIntList' | 'activationList' | 'flag'
  | DatasetChoices;
type DatasetChoices = readonly string[];

export interface Spec {
  name: string;
  kind: Kind;
  arg?: string;
  help: string;
}

// The one list of options: the parser, the --help text and the "did you mean"
// hint all read it.
const SPECS: Spec[] = [
  { name: 'dataset', kind: CLI_DATASETS, arg: 'NAME', help: `data set: ${CLI_DATASETS.join(', ')} (default ${DEFAULTS.dataset}; ripple is regression, mnist 10 digits)` },
  { name: 'data', kind: 'string', arg: 'FILE.csv', help: 'train on a CSV file instead: a row per example, feature columns then the label (text or class id) or a real target; optional header' },
  { name: 'test-data', kind: 'string', arg: 'FILE.csv', help: 'a test set in a second CSV with the same columns: standardized and labelled as the training file, evaluated as training goes' },
  { name: 'task', kind: ['classify', 'regress'], arg: 'KIND', help: 'what the CSV\'s last column is: classify or regress (default: by the label rules in the README, and printed)' },
  { name: 'm', kind: 'posInt', arg: 'N', help: 'number of examples of the generated set (default: the set\'s own, 400 for flower)' },
  { name: 'noise', kind: 'nonNegNumber', arg: 'X', help: 'noise of the generated set (default: the set\'s own)' },
  { name: 'classes', kind: 'posInt', arg: 'K', help: 'classes of spiral or blobs (default 2)' },
  { name: 'test-split', kind: 'unitInterval', arg: 'F', help: 'hold out this fraction of the examples as a test set; 0: none, the default (mnist: its fixed 2,000 of 10,000)' },
  { name: 'standardize', kind: 'flag', help: 'move each feature to mean 0 and standard deviation 1 (training set\'s statistics, kept in model.json); the default for --data' },
  { name: 'no-standardize', kind: 'flag', help: 'train on the features as they are (the default for generated sets)' },
  { name: 'hidden', kind: 'posInt', arg: 'N', help: `one hidden layer of N units (default ${DEFAULTS.hidden}, or --init's)` },
  { name: 'layers', kind: 'posIntList', arg: 'N,N,…', help: 'hidden layer sizes, e.g. 128,64 (instead of --hidden)' },
  { name: 'activation', kind: 'activationList', arg: 'NAME[,NAME…]', help: `hidden activation, or one per hidden layer: ${ACTIVATIONS.join(', ')} (default ${DEFAULTS.activation}, or --init's)` },
  { name: 'head', kind: HEADS, arg: 'NAME', help: 'output and cost: sigmoid, softmax or linear (default: sigmoid for 2 classes, softmax for more, linear for regression)' },
  { name: 'lr', kind: 'posNumber', arg: 'X', help: `learning rate alpha (default ${DEFAULTS.learningRate})` },
  { name: 'optimizer', kind: OPTIMIZERS, arg: 'NAME', help: 'update rule: sgd, momentum or adam (default sgd)' },
  { name: 'beta1', kind: 'unitInterval', arg: 'X', help: 'momentum\'s beta, Adam\'s beta1, in [0, 1) (default 0.9)' },
  { name: 'beta2', kind: 'unitInterval', arg: 'X', help: 'Adam\'s beta2, in [0, 1) (default 0.999)' },
  { name: 'l2', kind: 'nonNegNumber', arg: 'LAMBDA', help: 'L2 regularization: (lambda/2m)·Σ‖W‖² added to the cost (default 0)' },
  { name: 'l1', kind: 'nonNegNumber', arg: 'LAMBDA', help: 'L1 regularization: (lambda/m)·Σ|W| added to the cost, pushing small weights to 0 (default 0)' },
  { name: 'batch-size', kind: 'posInt', arg: 'N', help: 'examples per step, reshuffled every epoch (default: all, the full batch)' },
  { name: 'steps', kind: 'posInt', arg: 'N', help: `gradient steps (default ${DEFAULTS.steps})` },
  { name: 'epochs', kind: 'posInt', arg: 'N', help: 'passes over the training set, instead of --steps' },
  { name: 'seed', kind: 'nonNegInt', arg: 'N', help: `seed of the weight initialization and the generated data (default ${DEFAULTS.seed})` },
  { name: 'init-scheme', kind: INIT_SCHEMES, arg: 'NAME', help: `weight initialization: ${INIT_SCHEMES.join(', ')} (default ${DEFAULTS.initScheme}; he when every hidden layer is relu or leaky-relu)` },
  { name: 'init', kind: 'string', arg: 'FILE.json', help: 'start from parameters saved in a model.json (from --out)' },
  { name: 'log-every', kind: 'posInt', arg: 'N', help: 'record cost and accuracy every N steps (default: steps/100, at least 1)' },
  { name: 'out', kind: 'string', arg: 'DIR', help: 'write model.json, history.json/.csv, boundary.png, summary.json there' },
  { name: 'save-state', kind: 'flag', help: 'also save the optimizer\'s state in model.json, so --init resumes exactly' },
  { name: 'variant', kind: STEP_VARIANTS, arg: 'NAME', help: `step implementation: ${STEP_VARIANTS.join(', ')} (default auto: the fastest that supports the network)` },
  { name: 'profile', kind: 'flag', help: 'after training, time each kernel of one step on the GPU and print the table' },
  { name: 'explain', kind: 'flag', help: 'print the step program these options build (each dispatch: kernel, workgroups, tensors; the variant and why) and train nothing' },
  { name: 'runtime', kind: RUNTIMES, arg: 'WHERE', help: 'browser (headless Chromium\'s WebGPU, the default) or node (Dawn, the `webgpu` package, in this process)' },
  { name: 'json', kind: 'flag', help: 'print the result as one JSON object on the last line of stdout' },
  { name: 'help', kind: 'flag', help: 'show this help' },
];

/** The option list as --help prints it: one line per option, aligned. */
export function optionLines(specs: readonly Spec[]): string[] {
  const rows = specs.map((s) => [`--${s.name}${s.arg ? ` ${s.arg}` : ''}`, s.help]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    'Options (--opt VALUE or --opt=VALUE; an option given twice takes its last value):',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
  ];
}

export function usage(): string {
  return [
    'Train a neural network (the gradient-descent notes\' by default) on WebGPU.',
    '',
    'Usage: npm run train -- [options]',
    '',
    ...optionLines(SPECS),
    '',
    'Examples:',
    '  npm run train -- --steps 2000',
    '  npm run train -- --dataset moons --hidden 8 --activation relu --lr 0.5 --out out/moons',
    '  npm run train -- --data points.csv --json',
    '  npm run train -- --data train.csv --test-data test.csv --layers 32 --optimizer adam --lr 0.01 --epochs 100 --out out/mine',
    '  npm run train -- --dataset spiral --classes 3 --layers 32,32 --activation relu --optimizer adam --lr 0.01 --epochs 300',
    '  npm run train -- --dataset mnist --layers 128 --activation relu --head softmax --optimizer adam --lr 0.001 --batch-size 128 --epochs 10',
    '  npm run train -- --init out/moons/model.json --steps 500',
  ].join('\n');
}

export const USAGE_HINT = 'Run `npm run train -- --help` for the list of options.';

// Decimal numbers only: Number() would also take '', '0x10', ' 1', 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_SEED = 2 ** 32 - 1;

function convert(spec: Spec, raw: string): string | number | (string | number)[] {
  const option = `--${spec.name}`;
  if (Array.isArray(spec.kind)) {
    if (!spec.kind.includes(raw)) throw new InputError(option, `one of ${spec.kind.join(', ')}`, raw);
    return raw;
  }
  switch (spec.kind) {
    case 'posIntList': {
      const parts = raw.split(',');
      return parts.map((p, i) => {
        const v = DECIMAL.test(p) ? Number(p) : NaN;
        if (!Number.isSafeInteger(v) || v <= 0) throw new InputError(`${option}[${i}]`, 'a positive integer (a list like 128,64)', p);
        return v;
      });
    }
    case 'activationList': {
      const parts = raw.split(',');
      parts.forEach((p, i) => {
        if (!(ACTIVATIONS as readonly string[]).includes(p)) {
          throw new InputError(parts.length > 1 ? `${option}[${i}]` : option, `one of ${ACTIVATIONS.join(', ')}`, p);
        }
      });
      return parts.length === 1 ? parts[0] : parts;
    }
    case 'unitInterval': {
      const v = DECIMAL.test(raw) ? Number(raw) : NaN;
      if (!(v >= 0 && v < 1)) throw new InputError(option, 'a number in [0, 1)', raw);
      return v;
    }
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

function unknownOption(arg: string, specs: readonly Spec[]): UsageError {
  const name = arg.replace(/^-+/, '').split('=')[0];
  const best = specs.map((s) => ({ s, d: distance(name, s.name) })).sort((x, y) => x.d - y.d)[0];
  const hint = best && best.d <= 2 ? ` Did you mean --${best.s.name}?` : '';
  return new UsageError(arg, `Unknown option ${arg}.${hint}`);
}

/** The options given, by name, each value converted and checked; in the order last given. Throws UsageError or InputError. */
export function parseArgs(specs: readonly Spec[], argv: readonly string[]): Map<string, string | number | (string | number)[] | true> {
  const given = new Map<string, string | number | (string | number)[] | true>();
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
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw unknownOption(arg, specs);
    // Given twice, the last counts (a script's defaults can be overridden after them); it moves to the end of the order.
    given.delete(name);
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
  return given;
}

/** Parses process.argv.slice(2). Throws UsageError or InputError. */
export function parseTrainArgs(argv: readonly string[]): TrainOptions {
  const given = parseArgs(SPECS, argv);
  const get = <T>(name: string): T | undefined => given.get(name) as T | undefined;
  // --standardize and --no-standardize: the later one counts, as with any repeated option.
  const order = [...given.keys()];
  if (given.has('standardize') && given.has('no-standardize')) given.delete(order.indexOf('standardize') < order.indexOf('no-standardize') ? 'standardize' : 'no-standardize');
  if (given.has('data') && given.has('dataset')) {
    throw new UsageError('--data', '--data and --dataset exclude each other: train on a CSV file or on a generated set.');
  }
  if (given.has('test-data') && !given.has('data')) {
    throw new UsageError('--test-data', `--test-data goes with --data FILE.csv: it is read with the training file's columns, labels and standardization.`);
  }
  if (given.has('test-data') && given.has('test-split')) {
    throw new UsageError('--test-split', '--test-data and --test-split exclude each other: give a test file or hold out a fraction.');
  }
  for (const name of ['m', 'noise']) {
    if (given.has('data') && given.has(name)) {
      throw new UsageError(`--${name}`, `--${name} applies to generated data sets only, not to --data ${get<string>('data')}.`);
    }
  }
  if (given.has('init') && given.has('init-scheme')) {
    throw new UsageError('--init-scheme', '--init-scheme has no effect with --init: the weights come from the file.');
  }
  const exclusive: [string, string, string][] = [
    ['hidden', 'layers', 'give one hidden layer with --hidden N or several with --layers N,N,…'],
    ['steps', 'epochs', 'say how long to train in steps or in epochs'],
  ];
  for (const [a, b, why] of exclusive) {
    if (given.has(a) && given.has(b)) throw new UsageError(`--${b}`, `--${a} and --${b} exclude each other: ${why}.`);
  }
  const name = get<DatasetName>('dataset') ?? DEFAULTS.dataset;
  if (given.has('task') && !given.has('data')) {
    throw new UsageError('--task', `--task applies to --data FILE.csv; the generated set ${name} knows its own.`);
  }
  if (given.has('classes') && (given.has('data') || !['spiral', 'blobs'].includes(name))) {
    throw new UsageError('--classes', `--classes applies to the generated sets spiral and blobs, not to ${given.has('data') ? `--data ${get<string>('data')}` : name}.`);
  }
  if (given.has('classes') && get<number>('classes')! < 2) throw new InputError('--classes', 'an integer ≥ 2', get<number>('classes'));
  if (name === 'mnist' && (given.has('m') || given.has('noise') || given.has('test-split'))) {
    const option = given.has('m') ? 'm' : given.has('noise') ? 'noise' : 'test-split';
    throw new UsageError(`--${option}`, `--${option} does not apply to mnist: its 10,000 digits come with a fixed 8,000 / 2,000 train/test split.`);
  }
  for (const beta of ['beta1', 'beta2']) {
    const optimizer = get<string>('optimizer') ?? 'sgd';
    if (given.has(beta) && (optimizer === 'sgd' || (beta === 'beta2' && optimizer !== 'adam'))) {
      throw new UsageError(`--${beta}`, `--${beta} has no effect with --optimizer ${optimizer}.`);
    }
  }

  const file = get<string>('data');
  const testFile = get<string>('test-data');
  const data: DataSource = file
    ? { kind: 'csv', file, ...(testFile ? { testFile } : {}) }
    : {
        kind: 'generated',
        name,
        ...(given.has('m') ? { m: get<number>('m') } : {}),
        ...(given.has('noise') ? { noise: get<number>('noise') } : {}),
        ...(given.has('classes') ? { classes: get<number>('classes') } : {}),
      };
  const hidden = given.has('layers') ? get<number[]>('layers')! : given.has('hidden') ? [get<number>('hidden')!] : null;
  const epochs = get<number>('epochs') ?? null;
  return {
    data,
    task: get<Task>('task') ?? null,
    hidden,
    activation: get<Activation | Activation[]>('activation') ?? null,
    head: get<Head>('head') ?? null,
    learningRate: get<number>('lr') ?? DEFAULTS.learningRate,
    steps: epochs !== null ? null : (get<number>('steps') ?? DEFAULTS.steps),
    epochs,
    batchSize: get<number>('batch-size') ?? null,
    optimizer: get<OptimizerKind>('optimizer') ?? 'sgd',
    beta1: get<number>('beta1') ?? null,
    beta2: get<number>('beta2') ?? null,
    l2: get<number>('l2') ?? 0,
    l1: get<number>('l1') ?? 0,
    standardize: given.has('standardize') ? true : given.has('no-standardize') ? false : null,
    testSplit: get<number>('test-split') || null,
    seed: get<number>('seed') ?? DEFAULTS.seed,
    initScheme: get<InitScheme>('init-scheme') ?? null,
    init: get<string>('init') ?? null,
    logEvery: get<number>('log-every') ?? null,
    out: get<string>('out') ?? null,
    saveState: given.has('save-state'),
    variant: get<TrainOptions['variant']>('variant') ?? 'auto',
    profile: given.has('profile'),
    explain: given.has('explain'),
    runtime: get<TrainOptions['runtime']>('runtime') ?? 'browser',
    json: given.has('json'),
    help: given.has('help'),
  };
}

/** What a saved model fixes: its layer sizes, hidden activations and head. */
export interface SavedShape {
  file: string;
  sizes: number[];
  hidden: Activation[];
  head: Head;
}

/** What the data says: its inputs n0, and classes K (classification) or target rows (regression). */
export interface DataShape {
  n0: number;
  task: Task;
  /** Classes K for classification; outputs (rows of Y) for regression. */
  outputs: number;
}

export interface Network {
  sizes: number[];
  /** One per hidden layer. */
  hidden: Activation[];
  head: Head;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The network to train. Without --init: the hidden sizes (default [4]), the
 * activations and the head (default by task and classes), the output size from the
 * head and the data. From --init the file's shape is used; the options may repeat it
 * but not contradict it, and its n0 and output must match the data's.
 */
export function resolveNetwork(
  opts: Pick<TrainOptions, 'hidden' | 'activation' | 'head'>,
  data: DataShape,
  saved?: SavedShape,
): Network {
  const head: Head = opts.head ?? saved?.head ?? (data.task === 'regress' ? 'linear' : data.outputs > 2 ? 'softmax' : 'sigmoid');
  if (data.task === 'regress' && head !== 'linear') {
    throw new InputError('--head', 'linear for a regression target (real numbers)', head);
  }
  if (data.task === 'classify' && head === 'linear') {
    throw new InputError('--head', 'sigmoid or softmax for class labels (use --task regress to fit them as numbers)', head);
  }
  if (head === 'sigmoid' && data.task === 'classify' && data.outputs > 2) {
    throw new InputError('--head', `softmax for ${data.outputs} classes (sigmoid is for two)`, head);
  }
  const nL = head === 'softmax' ? Math.max(2, data.outputs) : head === 'sigmoid' ? 1 : data.outputs;
  if (!saved) {
    const hiddenSizes = opts.hidden ?? [DEFAULTS.hidden];
    const sizes = [data.n0, ...hiddenSizes, nL];
    const a = opts.activation ?? DEFAULTS.activation;
    if (Array.isArray(a) && a.length !== hiddenSizes.length) {
      throw new InputError('--activation', `one activation, or one per hidden layer (${hiddenSizes.length})`, a.join(','));
    }
    return { sizes, hidden: Array.isArray(a) ? a.slice() : hiddenSizes.map(() => a), head };
  }
  const savedHidden = saved.sizes.slice(1, -1);
  if (opts.hidden !== null && !same(opts.hidden, savedHidden)) {
    const option = opts.hidden.length === 1 ? '--hidden' : '--layers';
    throw new InputError(option, `${savedHidden.join(',')} (the hidden sizes saved in ${saved.file}), or leave it out`, opts.hidden.length === 1 ? opts.hidden[0] : opts.hidden.join(','));
  }
  if (opts.activation !== null) {
    const wanted = Array.isArray(opts.activation) ? opts.activation : savedHidden.map(() => opts.activation as Activation);
    if (!same(wanted, saved.hidden)) {
      throw new InputError('--activation', `${saved.hidden.join(',')} (the activations saved in ${saved.file}), or leave it out`, [opts.activation].flat().join(','));
    }
  }
  if (head !== saved.head) throw new InputError('--head', `${saved.head} (the head saved in ${saved.file}), or leave it out`, head);
  if (saved.sizes[0] !== data.n0) {
    throw new InputError(`--init ${saved.file}`, `a model with n0 = ${data.n0} inputs, as the data has`, `n0 = ${saved.sizes[0]}`);
  }
  const savedL = saved.sizes[saved.sizes.length - 1];
  if (savedL !== nL) throw new InputError(`--init ${saved.file}`, `a model with ${nL} outputs, as the data needs`, `${savedL} outputs`);
  return { sizes: saved.sizes.slice(), hidden: saved.hidden.slice(), head };
}
