// Command-line parsing of `npm run train`: defaults, both spellings of a value,
// and a message naming the option, the expected and the actual value for every
// kind of bad input. Pure Node, no browser.
import { expect, test } from '@playwright/test';
import { InputError } from '../src/errors.ts';
import { DEFAULTS, defaultInitScheme, defaultLogEvery, defaultTestEvery, parseTrainArgs, resolveNetwork, usage, UsageError } from './options.ts';

const fails = (argv: string[]): Error => {
  try {
    parseTrainArgs(argv);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
};

test('no arguments give the course defaults (flower, 4 tanh units, lr 1.2, 10000 steps)', () => {
  expect(parseTrainArgs([])).toEqual({
    data: { kind: 'generated', name: 'flower' },
    task: null,
    hidden: null,
    activation: null,
    head: null,
    learningRate: 1.2,
    steps: 10_000,
    epochs: null,
    batchSize: null,
    optimizer: 'sgd',
    beta1: null,
    beta2: null,
    l2: 0,
    l1: 0,
    standardize: null,
    testSplit: null,
    seed: 1,
    initScheme: null,
    init: null,
    logEvery: null,
    out: null,
    saveState: false,
    variant: 'auto',
    profile: false,
    explain: false,
    runtime: 'browser',
    json: false,
    help: false,
  });
  expect(resolveNetwork(parseTrainArgs([]), { n0: 2, task: 'classify', outputs: 2 })).toEqual({ sizes: [2, 4, 1], hidden: ['tanh'], head: 'sigmoid' });
});

test('"--opt value" and "--opt=value" parse to the same options', () => {
  const spaced = ['--dataset', 'moons', '--m', '200', '--noise', '0.1', '--hidden', '8', '--activation', 'leaky-relu',
    '--lr', '0.5', '--steps', '300', '--seed', '7', '--init-scheme', 'he', '--log-every', '10', '--out', 'out/x', '--json'];
  const joined = ['--dataset=moons', '--m=200', '--noise=0.1', '--hidden=8', '--activation=leaky-relu', '--lr=0.5',
    '--steps=300', '--seed=7', '--init-scheme=he', '--log-every=10', '--out=out/x', '--json'];
  const expected = {
    ...parseTrainArgs([]),
    data: { kind: 'generated', name: 'moons', m: 200, noise: 0.1 },
    hidden: [8],
    activation: 'leaky-relu',
    learningRate: 0.5,
    steps: 300,
    seed: 7,
    initScheme: 'he',
    logEvery: 10,
    out: 'out/x',
    json: true,
  };
  expect(parseTrainArgs(spaced)).toEqual(expected);
  expect(parseTrainArgs(joined)).toEqual(expected);
});

test('--log-every defaults to steps/100 rounded, at least 1', () => {
  expect(parseTrainArgs(['--steps', '2000']).logEvery).toBeNull();
  expect(defaultLogEvery(2000)).toBe(20);
  expect(defaultLogEvery(250)).toBe(3);
  expect(defaultLogEvery(30)).toBe(1);
  expect(defaultLogEvery(1)).toBe(1);
});

test('the general trainer\'s options: layers, activations per layer, head, optimizer, betas, L2, batches, epochs, classes, split', () => {
  const o = parseTrainArgs(['--dataset', 'spiral', '--classes', '3', '--layers', '32,16', '--activation', 'relu,tanh', '--head', 'softmax',
    '--optimizer', 'adam', '--beta1', '0.8', '--beta2', '0.99', '--l2', '0.01', '--batch-size', '64', '--epochs', '5', '--test-split', '0.25',
    '--standardize', '--save-state', '--variant', 'simple', '--profile', '--explain', '--runtime', 'node']);
  expect(o).toMatchObject({
    variant: 'simple', profile: true, explain: true, runtime: 'node',
    data: { kind: 'generated', name: 'spiral', classes: 3 }, hidden: [32, 16], activation: ['relu', 'tanh'], head: 'softmax',
    optimizer: 'adam', beta1: 0.8, beta2: 0.99, l2: 0.01, batchSize: 64, epochs: 5, steps: null, testSplit: 0.25, standardize: true, saveState: true,
  });
  expect(parseTrainArgs(['--dataset', 'mnist']).data).toEqual({ kind: 'generated', name: 'mnist' });
  expect(parseTrainArgs(['--data', 'x.csv', '--task', 'regress']).task).toBe('regress');
});

test('defaultInitScheme: the course\'s scale, He\'s for relu and leaky-relu networks', () => {
  expect(defaultInitScheme(['tanh'])).toBe('course');
  expect(defaultInitScheme(['relu'])).toBe('he');
  expect(defaultInitScheme(['relu', 'leaky-relu'])).toBe('he');
  expect(defaultInitScheme(['relu', 'tanh'])).toBe('course');
  expect(defaultInitScheme([])).toBe('course');
});

test('resolveNetwork: the head follows the task and classes; the output size follows the head', () => {
  const none = { hidden: null, activation: null, head: null };
  expect(resolveNetwork(none, { n0: 2, task: 'classify', outputs: 3 })).toEqual({ sizes: [2, 4, 3], hidden: ['tanh'], head: 'softmax' });
  expect(resolveNetwork(none, { n0: 2, task: 'regress', outputs: 1 })).toEqual({ sizes: [2, 4, 1], hidden: ['tanh'], head: 'linear' });
  expect(resolveNetwork({ ...none, head: 'softmax' }, { n0: 784, task: 'classify', outputs: 2 }).sizes).toEqual([784, 4, 2]);
  expect(resolveNetwork({ hidden: [128, 64], activation: ['relu', 'tanh'], head: null }, { n0: 784, task: 'classify', outputs: 10 }))
    .toEqual({ sizes: [784, 128, 64, 10], hidden: ['relu', 'tanh'], head: 'softmax' });
  expect(() => resolveNetwork({ ...none, head: 'sigmoid' }, { n0: 2, task: 'classify', outputs: 3 })).toThrow('--head: expected softmax for 3 classes');
  expect(() => resolveNetwork({ ...none, head: 'softmax' }, { n0: 2, task: 'regress', outputs: 1 })).toThrow('--head: expected linear for a regression target');
  expect(() => resolveNetwork({ ...none, head: 'linear' }, { n0: 2, task: 'classify', outputs: 2 })).toThrow(/--task regress/);
  expect(() => resolveNetwork({ hidden: [8, 8], activation: ['relu'], head: null }, { n0: 2, task: 'classify', outputs: 2 }))
    .toThrow('--activation: expected one activation, or one per hidden layer (2), got "relu"');
});

test('integers may be written 1e4; seed 0 is allowed', () => {
  expect(parseTrainArgs(['--steps', '1e4']).steps).toBe(10_000);
  expect(parseTrainArgs(['--seed', '0']).seed).toBe(0);
  expect(parseTrainArgs(['--lr=.5']).learningRate).toBe(0.5);
  expect(parseTrainArgs(['--noise', '0']).data).toEqual({ kind: 'generated', name: 'flower', noise: 0 });
});

test('--data reads a CSV instead of a generated set', () => {
  expect(parseTrainArgs(['--data', 'points.csv']).data).toEqual({ kind: 'csv', file: 'points.csv' });
});

test('--help and -h set help', () => {
  expect(parseTrainArgs(['--help']).help).toBe(true);
  expect(parseTrainArgs(['-h']).help).toBe(true);
});

const valueErrors: [string[], string][] = [
  [['--steps', 'abc'], '--steps: expected a positive integer, got "abc"'],
  [['--steps', '0'], '--steps: expected a positive integer, got "0"'],
  [['--steps', '-5'], '--steps: expected a positive integer, got "-5"'],
  [['--steps', '2.5'], '--steps: expected a positive integer, got "2.5"'],
  [['--steps='], '--steps: expected a positive integer, got ""'],
  [['--hidden', '0x10'], '--hidden: expected a positive integer, got "0x10"'],
  [['--m', '1e400'], '--m: expected a positive integer, got "1e400"'],
  [['--log-every', '0'], '--log-every: expected a positive integer, got "0"'],
  [['--lr', '0'], '--lr: expected a number > 0, got "0"'],
  [['--lr', '-1'], '--lr: expected a number > 0, got "-1"'],
  [['--lr', 'Infinity'], '--lr: expected a number > 0, got "Infinity"'],
  [['--lr', 'fast'], '--lr: expected a number > 0, got "fast"'],
  [['--noise', '-0.1'], '--noise: expected a number >= 0, got "-0.1"'],
  [['--seed', '-1'], '--seed: expected an integer from 0 to 4294967295, got "-1"'],
  [['--seed', '1.5'], '--seed: expected an integer from 0 to 4294967295, got "1.5"'],
  [['--dataset', 'mnist2'], '--dataset: expected one of flower, moons, circles, xor, spiral, blobs, ripple, mnist, got "mnist2"'],
  [['--layers', '128,0'], '--layers[1]: expected a positive integer (a list like 128,64), got "0"'],
  [['--layers', '12.5'], '--layers[0]: expected a positive integer (a list like 128,64), got "12.5"'],
  [['--activation', 'relu,gelu'], '--activation[1]: expected one of tanh, relu, leaky-relu, sigmoid, linear, got "gelu"'],
  [['--optimizer', 'adam', '--beta1', '1'], '--beta1: expected a number in [0, 1), got "1"'],
  [['--optimizer', 'adam', '--beta2', '-0.1'], '--beta2: expected a number in [0, 1), got "-0.1"'],
  [['--l2', '-1'], '--l2: expected a number >= 0, got "-1"'],
  [['--batch-size', '0'], '--batch-size: expected a positive integer, got "0"'],
  [['--test-split', '1'], '--test-split: expected a number in [0, 1), got "1"'],
  [['--head', 'tanh'], '--head: expected one of sigmoid, softmax, linear, got "tanh"'],
  [['--dataset', 'spiral', '--classes', '1'], '--classes: expected an integer ≥ 2, got 1'],
  [['--activation', 'gelu'], '--activation: expected one of tanh, relu, leaky-relu, sigmoid, linear, got "gelu"'],
  [['--init-scheme', 'random'], '--init-scheme: expected one of course, xavier, he, zeros, got "random"'],
  [['--out='], '--out: expected a DIR, got ""'],
  [['--variant', 'fast'], '--variant: expected one of auto, simple, lanes, fused, fused2, small, shared, sparse, tiled, got "fast"'],
  [['--runtime', 'deno'], '--runtime: expected one of browser, node, got "deno"'],
];
for (const [argv, message] of valueErrors) {
  test(`${argv.join(' ')} is refused naming the option, expected and actual value`, () => {
    const e = fails(argv);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(message);
  });
}

test('an option given twice takes its last value; --standardize and --no-standardize: the later one; --test-split 0 is no test set', () => {
  expect(parseTrainArgs(['--steps', '5', '--lr', '0.1', '--steps', '6']).steps).toBe(6);
  expect(parseTrainArgs(['--data', 'a.csv', '--data', 'b.csv']).data).toEqual({ kind: 'csv', file: 'b.csv' });
  expect(parseTrainArgs(['--standardize', '--no-standardize']).standardize).toBe(false);
  expect(parseTrainArgs(['--no-standardize', '--standardize']).standardize).toBe(true);
  expect(parseTrainArgs(['--no-standardize', '--standardize', '--no-standardize']).standardize).toBe(false);
  expect(parseTrainArgs(['--data', 'a.csv', '--test-split', '0']).testSplit).toBeNull();
  expect(parseTrainArgs(['--data', 'a.csv', '--test-split', '0.2']).testSplit).toBe(0.2);
  expect(parseTrainArgs(['--data', 'a.csv', '--test-data', 'b.csv']).data).toEqual({ kind: 'csv', file: 'a.csv', testFile: 'b.csv' });
  expect(usage()).toContain('an option given twice takes its last value');
});

const usageErrors: [string[], string, RegExp][] = [
  [['--hiden', '8'], '--hiden', /Unknown option --hiden\. Did you mean --hidden\?/],
  [['--learning-rate=2'], '--learning-rate=2', /Unknown option --learning-rate=2\.$/],
  [['--steps'], '--steps', /--steps needs a value: --steps N/],
  [['--steps', '--json'], '--steps', /--steps needs a value/],
  [['flower'], 'flower', /Unexpected argument "flower"/],
  [['--json=yes'], '--json', /--json takes no value, got "yes"/],
  [['--test-data', 'b.csv'], '--test-data', /--test-data goes with --data FILE\.csv/],
  [['--data', 'a.csv', '--test-data', 'b.csv', '--test-split', '0.2'], '--test-split', /--test-data and --test-split exclude each other/],
  [['--data', 'a.csv', '--dataset', 'moons'], '--data', /--data and --dataset exclude each other/],
  [['--data', 'a.csv', '--m', '100'], '--m', /--m applies to generated data sets only, not to --data a\.csv/],
  [['--data', 'a.csv', '--noise', '0.2'], '--noise', /--noise applies to generated data sets only/],
  [['--init', 'model.json', '--init-scheme', 'he'], '--init-scheme', /no effect with --init/],
  [['--hidden', '8', '--layers', '8,8'], '--layers', /--hidden and --layers exclude each other/],
  [['--steps', '8', '--epochs', '2'], '--epochs', /--steps and --epochs exclude each other/],
  [['--classes', '3'], '--classes', /--classes applies to the generated sets spiral and blobs, not to flower/],
  [['--dataset', 'mnist', '--m', '100'], '--m', /does not apply to mnist: its 10,000 digits come with a fixed 8,000 \/ 2,000/],
  [['--task', 'regress'], '--task', /--task applies to --data FILE.csv/],
  [['--beta1', '0.5'], '--beta1', /--beta1 has no effect with --optimizer sgd/],
  [['--optimizer', 'momentum', '--beta2', '0.5'], '--beta2', /--beta2 has no effect with --optimizer momentum/],
];
for (const [argv, option, message] of usageErrors) {
  test(`${argv.join(' ')} is a usage error naming ${option}`, () => {
    const e = fails(argv);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).option).toBe(option);
    expect(e.message).toMatch(message);
  });
}

test('--help text lists every option with its default', () => {
  const text = usage();
  for (const option of ['--dataset NAME', '--data FILE.csv', '--m N', '--noise X', '--hidden N', '--activation NAME[,NAME…]',
    '--lr X', '--steps N', '--seed N', '--init-scheme NAME', '--init FILE.json', '--log-every N', '--out DIR', '--layers N,N,…',
    '--head NAME', '--optimizer NAME', '--beta1 X', '--beta2 X', '--l2 LAMBDA', '--batch-size N', '--epochs N', '--classes K',
    '--test-split F', '--task KIND', '--standardize', '--save-state',
    '--json', '--help']) {
    expect(text).toContain(`  ${option} `);
  }
  for (const d of [`default ${DEFAULTS.dataset}`, 'default 4', 'default tanh', 'default 1.2', 'default 10000',
    'default 1)', 'default course', 'steps/100']) {
    expect(text).toContain(d);
  }
});

const saved = { file: 'model.json', sizes: [2, 6, 1], hidden: ['relu' as const], head: 'sigmoid' as const };
const binary = { n0: 2, task: 'classify' as const, outputs: 2 };

test('--init takes hidden sizes, activations and head from the file; repeating them is fine', () => {
  const none = { hidden: null, activation: null, head: null };
  expect(resolveNetwork(none, binary, saved)).toEqual({ sizes: [2, 6, 1], hidden: ['relu'], head: 'sigmoid' });
  expect(resolveNetwork({ hidden: [6], activation: 'relu', head: 'sigmoid' }, binary, saved)).toEqual({ sizes: [2, 6, 1], hidden: ['relu'], head: 'sigmoid' });
  const deep = { file: 'deep.json', sizes: [2, 5, 3, 4], hidden: ['relu' as const, 'tanh' as const], head: 'softmax' as const };
  expect(resolveNetwork(none, { n0: 2, task: 'classify', outputs: 4 }, deep).sizes).toEqual([2, 5, 3, 4]);
});

test('--init with a conflicting --hidden, --activation, head, input or output size is refused', () => {
  const none = { hidden: null, activation: null, head: null };
  expect(() => resolveNetwork({ ...none, hidden: [4] }, binary, saved)).toThrow(
    '--hidden: expected 6 (the hidden sizes saved in model.json), or leave it out, got 4',
  );
  expect(() => resolveNetwork({ ...none, activation: 'tanh' }, binary, saved)).toThrow(
    '--activation: expected relu (the activations saved in model.json), or leave it out, got "tanh"',
  );
  expect(() => resolveNetwork(none, { ...binary, n0: 3 }, saved)).toThrow(
    '--init model.json: expected a model with n0 = 3 inputs, as the data has, got "n0 = 2"',
  );
  expect(() => resolveNetwork({ ...none, head: 'softmax' }, binary, saved)).toThrow('--head: expected sigmoid (the head saved in model.json)');
  expect(() => resolveNetwork(none, { n0: 2, task: 'classify', outputs: 3 }, { ...saved, sizes: [2, 6, 2], head: 'softmax' })).toThrow(
    '--init model.json: expected a model with 3 outputs, as the data needs, got "2 outputs"',
  );
});

test('the test set is evaluated at logged steps, as often as costs at most a tenth of training (testM / (3 · batch · k) ≤ 0.1)', () => {
  // 60 test rows, full batch of 240: every logged step.
  expect(defaultTestEvery(20, 60, 240)).toBe(20);
  // MNIST's 2,000 against batches of 256, logged every step: every 27 steps (2000 / 76.8 = 26.04).
  expect(defaultTestEvery(1, 2000, 256)).toBe(27);
  // Batches of 128, logged every 6: every 54 steps (52.08 rounded up to a multiple of 6).
  expect(defaultTestEvery(6, 2000, 128)).toBe(54);
  for (const [log, testM, batch] of [[1, 2000, 256], [6, 2000, 128], [7, 999, 32]]) {
    const k = defaultTestEvery(log, testM, batch);
    expect(k % log).toBe(0);
    expect(testM / (3 * batch * k)).toBeLessThanOrEqual(0.1);
    if (k > log) expect(testM / (3 * batch * (k - log))).toBeGreaterThan(0.1);
  }
});
