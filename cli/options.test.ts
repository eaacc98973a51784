// Command-line parsing of `npm run train`: defaults, both spellings of a value,
// and a message naming the option, the expected and the actual value for every
// kind of bad input. Pure Node, no browser.
import { expect, test } from '@playwright/test';
import { InputError } from '../src/errors.ts';
import { DEFAULTS, parseTrainArgs, resolveNetwork, usage, UsageError } from './options.ts';

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
    hidden: null,
    activation: null,
    learningRate: 1.2,
    steps: 10_000,
    seed: 1,
    initScheme: 'course',
    init: null,
    logEvery: 100,
    out: null,
    json: false,
    help: false,
  });
  expect(resolveNetwork(parseTrainArgs([]), 2)).toEqual({ sizes: [2, 4, 1], activation: 'tanh' });
});

test('"--opt value" and "--opt=value" parse to the same options', () => {
  const spaced = ['--dataset', 'moons', '--m', '200', '--noise', '0.1', '--hidden', '8', '--activation', 'leaky-relu',
    '--lr', '0.5', '--steps', '300', '--seed', '7', '--init-scheme', 'he', '--log-every', '10', '--out', 'out/x', '--json'];
  const joined = ['--dataset=moons', '--m=200', '--noise=0.1', '--hidden=8', '--activation=leaky-relu', '--lr=0.5',
    '--steps=300', '--seed=7', '--init-scheme=he', '--log-every=10', '--out=out/x', '--json'];
  const expected = {
    data: { kind: 'generated', name: 'moons', m: 200, noise: 0.1 },
    hidden: 8,
    activation: 'leaky-relu',
    learningRate: 0.5,
    steps: 300,
    seed: 7,
    initScheme: 'he',
    init: null,
    logEvery: 10,
    out: 'out/x',
    json: true,
    help: false,
  };
  expect(parseTrainArgs(spaced)).toEqual(expected);
  expect(parseTrainArgs(joined)).toEqual(expected);
});

test('--log-every defaults to steps/100 rounded, at least 1', () => {
  expect(parseTrainArgs(['--steps', '2000']).logEvery).toBe(20);
  expect(parseTrainArgs(['--steps', '250']).logEvery).toBe(3);
  expect(parseTrainArgs(['--steps', '30']).logEvery).toBe(1);
  expect(parseTrainArgs(['--steps', '1']).logEvery).toBe(1);
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
  [['--dataset', 'mnist'], '--dataset: expected one of flower, moons, circles, xor, spiral, blobs, got "mnist"'],
  [['--activation', 'gelu'], '--activation: expected one of tanh, relu, leaky-relu, sigmoid, got "gelu"'],
  [['--init-scheme', 'random'], '--init-scheme: expected one of course, xavier, he, zeros, got "random"'],
  [['--out='], '--out: expected a DIR, got ""'],
];
for (const [argv, message] of valueErrors) {
  test(`${argv.join(' ')} is refused naming the option, expected and actual value`, () => {
    const e = fails(argv);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(message);
  });
}

const usageErrors: [string[], string, RegExp][] = [
  [['--hiden', '8'], '--hiden', /Unknown option --hiden\. Did you mean --hidden\?/],
  [['--learning-rate=2'], '--learning-rate=2', /Unknown option --learning-rate=2\.$/],
  [['--steps'], '--steps', /--steps needs a value: --steps N/],
  [['--steps', '--json'], '--steps', /--steps needs a value/],
  [['flower'], 'flower', /Unexpected argument "flower"/],
  [['--json=yes'], '--json', /--json takes no value, got "yes"/],
  [['--steps', '5', '--steps', '6'], '--steps', /given more than once/],
  [['--data', 'a.csv', '--dataset', 'moons'], '--data', /--data and --dataset exclude each other/],
  [['--data', 'a.csv', '--m', '100'], '--m', /--m applies to generated data sets only, not to --data a\.csv/],
  [['--data', 'a.csv', '--noise', '0.2'], '--noise', /--noise applies to generated data sets only/],
  [['--init', 'model.json', '--init-scheme', 'he'], '--init-scheme', /no effect with --init/],
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
  for (const option of ['--dataset NAME', '--data FILE.csv', '--m N', '--noise X', '--hidden N', '--activation NAME',
    '--lr X', '--steps N', '--seed N', '--init-scheme NAME', '--init FILE.json', '--log-every N', '--out DIR',
    '--json', '--help']) {
    expect(text).toContain(`  ${option} `);
  }
  for (const d of [`default ${DEFAULTS.dataset}`, 'default 4', 'default tanh', 'default 1.2', 'default 10000',
    'default 1)', 'default course', 'steps/100']) {
    expect(text).toContain(d);
  }
});

const saved = { file: 'model.json', sizes: [2, 6, 1], activation: 'relu' as const };

test('--init takes hidden size and activation from the file; repeating them is fine', () => {
  const none = { hidden: null, activation: null };
  expect(resolveNetwork(none, 2, saved)).toEqual({ sizes: [2, 6, 1], activation: 'relu' });
  expect(resolveNetwork({ hidden: 6, activation: 'relu' }, 2, saved)).toEqual({ sizes: [2, 6, 1], activation: 'relu' });
});

test('--init with a conflicting --hidden, --activation or input size is refused', () => {
  expect(() => resolveNetwork({ hidden: 4, activation: null }, 2, saved)).toThrow(
    '--hidden: expected 6 (the hidden size saved in model.json), or leave it out, got 4',
  );
  expect(() => resolveNetwork({ hidden: null, activation: 'tanh' }, 2, saved)).toThrow(
    '--activation: expected relu (the activation saved in model.json), or leave it out, got "tanh"',
  );
  expect(() => resolveNetwork({ hidden: null, activation: null }, 3, saved)).toThrow(
    '--init model.json: expected a model with n0 = 3 inputs, as the data has, got "n0 = 2"',
  );
  expect(() => resolveNetwork({ hidden: null, activation: null }, 2, { ...saved, sizes: [2, 4, 4, 1] })).toThrow(
    /expected a model with one hidden layer/,
  );
});
