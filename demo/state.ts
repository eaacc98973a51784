// Every setting of the page, and its place in the URL. A link carries the whole
// setting (and the step reached), so opening it reproduces the run: same data,
// same split, same initial weights, same number of steps.
import { DATASET_DEFAULTS, DATASET_NAMES, MULTICLASS_DATASETS, type DatasetName } from '../src/data/datasets.ts';
import { MAX_CLASSES } from '../src/plot/boundary.ts';
import { FEATURES, type Feature } from '../src/data/features.ts';
import { ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, type Activation, type InitScheme, type OptimizerKind } from '../src/types.ts';

/** 'csv' is a user's file: it cannot travel in a URL, so a link to it falls back to flower. */
export type DataSource = DatasetName | 'csv';

export interface Settings {
  dataset: DataSource;
  /** Examples generated (before the split). */
  points: number;
  /** Classes K of spiral and blobs (2: one sigmoid output, as the seed; more: a softmax over K). */
  classes: number;
  noise: number;
  /** Fraction of the examples held out as the test set. */
  testFraction: number;
  /** The network's inputs computed from a point's (x1, x2), as TensorFlow Playground offers them (2-feature data only). */
  features: Feature[];
  /** Units and activation g of the first hidden layer (the seed's network has only it); 0: no hidden layer at all (the output reads the inputs). */
  hidden: number;
  activation: Activation;
  /** Hidden layers after the first, in order (the network editor): at most MAX_LAYERS − 1. */
  deeper: Layer[];
  learningRate: number;
  seed: number;
  init: InitScheme;
  /** Steps per animation frame; 0 means "as fast as the GPU goes". */
  speed: number;
  /** Grid points per side for the boundary and the hidden units. */
  grid: number;
  /** The picture: the held-out examples drawn over the plane, and the plane painted by the predicted class only. */
  showTest: boolean;
  discretize: boolean;
  /** Seeds the data set alone ("Regenerate"); null: the seed's (links from before it replay as they did). */
  dataSeed: number | null;
  /** Steps of the course's experiment per network. */
  sweepSteps: number;
  /** On opening, train this many steps and pause (a shared link's run). */
  steps: number;
  /** The update rule, and β1 (momentum and Adam), β2 (Adam). */
  optimizer: OptimizerKind;
  beta1: number;
  beta2: number;
  /** Examples per step; 0: the full batch (the seed's). */
  batch: number;
  /** λ of L2 regularization. */
  l2: number;
  /** λ1 of L1 regularization. */
  l1: number;
  /** A CSV's features moved to mean 0 and standard deviation 1 (the training set's), as the CLI does by default. */
  standardize: boolean;
  /** Learning-rate decay: α is multiplied by `decay` every `decayEvery` steps (1: none). */
  decay: number;
  decayEvery: number;
  /**
   * What changed while training, in order: from `step` on, `key` has `value`. The
   * fields above hold the values at step 0, so a link replays the run exactly.
   */
  changes: Change[];
}

/** A hidden layer after the first. */
export interface Layer {
  units: number;
  activation: Activation;
}

/** Most hidden layers the editor builds, and units in a layer after the first. */
export const MAX_LAYERS = 6;
export const MAX_DEEP_UNITS = 1024;

/** The settings that may change while training without restarting it. */
export const LIVE_KEYS = ['learningRate', 'optimizer', 'beta1', 'beta2', 'batch', 'l2', 'l1', 'decay', 'decayEvery'] as const;
export type LiveKey = (typeof LIVE_KEYS)[number];

export interface Change {
  step: number;
  key: LiveKey;
  value: number | OptimizerKind;
}

export const MAX_HIDDEN = 4096;
export const SPEEDS = [1, 5, 10, 20, 50, 100, 500, 0] as const;
export const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1, 1.2, 3, 10] as const;
export const POINT_COUNTS = [100, 200, 400, 1000, 2000, 5000] as const;
/** Batch sizes offered (0: the full batch). */
export const BATCH_SIZES = [0, 1, 8, 16, 32, 64, 128, 256] as const;
export const L2_VALUES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3] as const;
export const DECAYS = [1, 0.99, 0.95, 0.9, 0.5] as const;

export const DEFAULTS: Readonly<Settings> = {
  dataset: 'flower',
  points: DATASET_DEFAULTS.flower.m,
  classes: 2,
  noise: DATASET_DEFAULTS.flower.noise,
  testFraction: 0.3,
  features: ['x1', 'x2'],
  hidden: 4,
  activation: 'tanh',
  deeper: [],
  learningRate: 1.2,
  seed: 1,
  init: 'course',
  speed: 20,
  showTest: true,
  discretize: false,
  dataSeed: null,
  grid: 80,
  sweepSteps: 5000,
  steps: 0,
  optimizer: 'sgd',
  beta1: 0.9,
  beta2: 0.999,
  batch: 0,
  l2: 0,
  l1: 0,
  standardize: true,
  decay: 1,
  decayEvery: 100,
  changes: [],
};

/** URL key of each setting: short, readable names. */
const KEYS: Record<keyof Settings, string> = {
  dataset: 'data',
  points: 'm',
  classes: 'k',
  noise: 'noise',
  testFraction: 'test',
  features: 'in',
  hidden: 'hidden',
  activation: 'act',
  deeper: 'layers',
  learningRate: 'lr',
  seed: 'seed',
  init: 'init',
  speed: 'speed',
  showTest: 'showtest',
  discretize: 'discrete',
  dataSeed: 'dseed',
  grid: 'grid',
  sweepSteps: 'sweep',
  steps: 'steps',
  optimizer: 'opt',
  beta1: 'b1',
  beta2: 'b2',
  batch: 'batch',
  l2: 'l2',
  l1: 'l1',
  standardize: 'std',
  decay: 'decay',
  decayEvery: 'every',
  changes: 'at',
};

/** A change log in a URL: "300:lr:0.3,800:opt:adam" (step, the setting's URL key, its value), steps increasing. */
function parseChanges(text: string): Change[] | undefined {
  const out: Change[] = [];
  for (const part of text.split(',')) {
    const [stepText, urlKey, valueText] = part.split(':');
    const step = int(1, 10_000_000)(stepText ?? '');
    const key = LIVE_KEYS.find((k) => KEYS[k] === urlKey);
    if (step === undefined || !key || valueText === undefined) return undefined;
    const value = PARSE[key](valueText);
    if (value === undefined || (out.length > 0 && step < out[out.length - 1].step)) return undefined;
    out.push({ step, key, value: value as Change['value'] });
  }
  return out;
}

/** The layers after the first in a URL: "6:relu,4:tanh" (units, activation), at most MAX_LAYERS − 1. */
function parseLayers(text: string): Layer[] | undefined {
  const out: Layer[] = [];
  for (const part of text.split(',')) {
    const [unitsText, act] = part.split(':');
    const units = int(1, MAX_DEEP_UNITS)(unitsText ?? '');
    const activation = oneOf(ACTIVATIONS)(act ?? '');
    if (units === undefined || activation === undefined) return undefined;
    out.push({ units, activation });
  }
  return out.length <= MAX_LAYERS - 1 ? out : undefined;
}

const changesText = (changes: readonly Change[]) => changes.map((c) => `${c.step}:${KEYS[c.key]}:${c.value}`).join(',');

const int = (lo: number, hi: number) => (s: string): number | undefined => {
  const v = Number(s);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
};
const real = (lo: number, hi: number, open = false) => (s: string): number | undefined => {
  const v = Number(s);
  return s.trim() !== '' && Number.isFinite(v) && v >= lo && (open ? v < hi : v <= hi) ? v : undefined;
};
const oneOf = <T extends string>(list: readonly T[]) => (s: string): T | undefined => (list.includes(s as T) ? (s as T) : undefined);
const flag = (s: string): boolean | undefined => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined);

/** Parsers that reject anything out of range: a bad value keeps the default (and is reported). */
const PARSE: { [K in keyof Settings]: (s: string) => Settings[K] | undefined } = {
  dataset: oneOf<DataSource>([...DATASET_NAMES]),
  points: int(10, 20_000),
  classes: int(2, MAX_CLASSES),
  noise: real(0, 2),
  testFraction: real(0, 0.9),
  features: (s) => {
    const list = s.split(',');
    return list.length > 0 && list.every((f, i) => (FEATURES as readonly string[]).includes(f) && list.indexOf(f) === i) ? (list as Feature[]) : undefined;
  },
  hidden: int(0, MAX_HIDDEN),
  activation: oneOf(ACTIVATIONS),
  deeper: (s) => parseLayers(s),
  learningRate: (s) => {
    const v = real(0, 100)(s);
    return v !== undefined && v > 0 ? v : undefined;
  },
  seed: int(0, 2 ** 31 - 1),
  init: oneOf(INIT_SCHEMES),
  speed: int(0, 100_000),
  showTest: flag,
  discretize: flag,
  dataSeed: int(0, 2 ** 32 - 1),
  grid: int(8, 200),
  sweepSteps: int(1, 1_000_000),
  steps: int(0, 10_000_000),
  optimizer: oneOf(OPTIMIZERS),
  beta1: real(0, 1, true),
  beta2: real(0, 1, true),
  batch: int(0, 20_000),
  l2: real(0, 100),
  l1: real(0, 100),
  standardize: flag,
  decay: (s) => {
    const v = real(0, 1)(s);
    return v !== undefined && v > 0 ? v : undefined;
  },
  decayEvery: int(1, 1_000_000),
  changes: (s) => parseChanges(s),
};

/** Settings from a query string; `ignored` lists the keys whose values were not understood. */
export function settingsFromUrl(search: string): { settings: Settings; ignored: string[] } {
  const query = new URLSearchParams(search);
  const settings: Settings = { ...DEFAULTS };
  const ignored: string[] = [];
  // A dataset's own defaults apply unless the URL sets m or noise itself.
  const dataset = query.get(KEYS.dataset);
  if (dataset !== null && PARSE.dataset(dataset) && dataset !== 'csv') {
    settings.points = DATASET_DEFAULTS[dataset as DatasetName].m;
    settings.noise = DATASET_DEFAULTS[dataset as DatasetName].noise;
  }
  for (const key of Object.keys(KEYS) as (keyof Settings)[]) {
    const raw = query.get(KEYS[key]);
    if (raw === null) continue;
    const value = PARSE[key](raw);
    if (value === undefined) ignored.push(`${KEYS[key]}=${raw}`);
    else (settings as unknown as Record<string, unknown>)[key] = value;
  }
  return { settings, ignored };
}

/** The query string for settings: every setting that differs from the default. */
export function settingsToQuery(s: Settings): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(KEYS) as (keyof Settings)[]) {
    if (key === 'steps' && s.steps === 0) continue;
    if (key === 'changes') {
      if (s.changes.length > 0) query.set(KEYS.changes, changesText(s.changes));
      continue;
    }
    if (key === 'features') {
      if (s.features.join() !== DEFAULTS.features.join()) query.set(KEYS.features, s.features.join(','));
      continue;
    }
    if (key === 'deeper') {
      if (s.deeper.length > 0) query.set(KEYS.deeper, s.deeper.map((l) => `${l.units}:${l.activation}`).join(','));
      continue;
    }
    const value = key === 'dataset' && s.dataset === 'csv' ? 'flower' : s[key];
    // The dataset is always written, so a link says what it shows.
    if (key !== 'dataset' && value === DEFAULTS[key]) continue;
    query.set(KEYS[key], String(value));
  }
  return query.toString();
}

/** Writes the settings into the address bar without a navigation or a history entry. */
export function writeUrl(s: Settings): void {
  const url = new URL(location.href);
  url.search = settingsToQuery(s);
  history.replaceState(null, '', url);
}

/** The live settings in force from step `step` on: the step-0 values with the changes made up to it. */
export function liveAt(s: Settings, step: number): Pick<Settings, LiveKey> {
  const live: Pick<Settings, LiveKey> = {
    learningRate: s.learningRate, optimizer: s.optimizer, beta1: s.beta1, beta2: s.beta2, batch: s.batch, l2: s.l2, l1: s.l1, decay: s.decay, decayEvery: s.decayEvery,
  };
  for (const c of s.changes) if (c.step <= step) (live as Record<LiveKey, unknown>)[c.key] = c.value;
  return live;
}

/** α for step `step`: the learning rate in force, times the decay in force once per `decayEvery` steps taken. */
export function learningRateAt(s: Settings, step: number): number {
  const live = liveAt(s, step);
  return live.learningRate * live.decay ** Math.floor(step / live.decayEvery);
}

/** The next step after `step` at which α or a live setting changes (a change, a decay), or Infinity. */
export function nextBoundary(s: Settings, step: number): number {
  const change = s.changes.find((c) => c.step > step)?.step ?? Infinity;
  const live = liveAt(s, step);
  const decay = live.decay !== 1 ? (Math.floor(step / live.decayEvery) + 1) * live.decayEvery : Infinity;
  return Math.min(change, decay);
}

/** Classes of the data the settings make: K for spiral and blobs, else 2. */
export function classesOf(s: Pick<Settings, 'dataset' | 'classes'>): number {
  return s.dataset !== 'csv' && MULTICLASS_DATASETS.includes(s.dataset) ? s.classes : 2;
}

/** Units of every hidden layer, and their activations, first layer first (none when hidden is 0). */
export function hiddenLayers(s: Pick<Settings, 'hidden' | 'activation' | 'deeper'>): { units: number[]; activations: Activation[] } {
  if (s.hidden === 0) return { units: [], activations: [] };
  return { units: [s.hidden, ...s.deeper.map((l) => l.units)], activations: [s.activation, ...s.deeper.map((l) => l.activation)] };
}
