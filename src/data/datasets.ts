// Two-feature toy data sets for the demo and the tests: two classes (spiral and
// blobs take K classes, labelled 0 … K−1) and one regression set (ripple, real
// targets). Every set is generated from a seed, so the same options give the same
// points everywhere. Layout as in the notes: X is (n0 = 2, m), one example per
// column; Y is (1, m).
import { InputError } from '../errors.ts';
import type { Dataset } from '../types.ts';
import { validateSeed } from '../validate.ts';
import { createRng, linspace, type Rng } from './rng.ts';

export const DATASET_NAMES = ['flower', 'moons', 'circles', 'xor', 'spiral', 'blobs', 'ripple'] as const;
/** Sets that take a number of classes K ≥ 2 (the others have two). */
export const MULTICLASS_DATASETS: readonly DatasetName[] = ['spiral', 'blobs'];
/** Sets whose targets are real numbers (regression). */
export const REGRESSION_DATASETS: readonly DatasetName[] = ['ripple'];
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetOptions {
  /** Number of examples. */
  m?: number;
  /** Standard deviation of the Gaussian noise; what it perturbs depends on the set. */
  noise?: number;
  /** Integer seed; default 1. */
  seed?: number;
  /** Classes K ≥ 2 of spiral and blobs (default 2). */
  classes?: number;
}

/** Defaults a UI can show next to each set. */
export const DATASET_DEFAULTS: Readonly<Record<DatasetName, { m: number; noise: number; description: string }>> = {
  flower: { m: 400, noise: 0.2, description: "the course's planar 'flower': 8 petals, 2 classes" },
  moons: { m: 400, noise: 0.15, description: 'two interleaved half circles' },
  circles: { m: 400, noise: 0.08, description: 'a circle inside a circle of twice its radius' },
  xor: { m: 400, noise: 0.05, description: 'uniform square labelled by sign(x1 · x2)' },
  spiral: { m: 400, noise: 0.05, description: 'interleaved spiral arms (two, or K), 1.5 turns each' },
  blobs: { m: 400, noise: 0.6, description: 'two Gaussian clusters centred at (−1, −1) and (1, 1), or K on a circle' },
  ripple: { m: 400, noise: 0.05, description: 'regression: y = sin(3·x1)·cos(2·x2) + noise over [−1, 1]²' },
};

export const DEFAULT_DATASET_SEED = 1;

/** Generates the examples: their two features and their labels (or targets). */
type PointMaker = (rng: Rng, m: number, noise: number, classes: number) => { x1: number[]; x2: number[]; y: number[] };

/** Class sizes: floor(m/K) examples of each class, the remainder in the last ones (K = 2: floor(m/2), the rest). */
const classSizes = (m: number, K = 2): number[] =>
  Array.from({ length: K }, (_, j) => Math.floor(((j + 1) * m) / K) - Math.floor((j * m) / K));

/**
 * The course's load_planar_dataset: for class j, N points with
 * t = linspace(j·3.12, (j+1)·3.12, N) + N(0,1)·0.2 (the angle) and
 * r = a·sin(4t) + N(0,1)·0.2 (the radius, a = 4); x = (r·sin t, r·cos t).
 * Here both 0.2 are `noise`. As in numpy, the t noise for a class is drawn before its r noise.
 */
const flower: PointMaker = (rng, m, noise) => {
  const a = 4; // maximum ray of the flower
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  classSizes(m).forEach((N, j) => {
    const t = linspace(j * 3.12, (j + 1) * 3.12, N).map((v) => v + rng.normal() * noise);
    const r = t.map((tk) => a * Math.sin(4 * tk) + rng.normal() * noise);
    for (let k = 0; k < N; k++) {
      x1.push(r[k] * Math.sin(t[k]));
      x2.push(r[k] * Math.cos(t[k]));
      y.push(j);
    }
  });
  return { x1, x2, y };
};

/** Like scikit-learn's make_moons: an upper half circle and a lower one shifted to interleave. */
const moons: PointMaker = (rng, m, noise) => {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  classSizes(m).forEach((N, j) => {
    for (const angle of linspace(0, Math.PI, N)) {
      const [cx, cy] = j === 0 ? [Math.cos(angle), Math.sin(angle)] : [1 - Math.cos(angle), 0.5 - Math.sin(angle)];
      x1.push(cx + rng.normal() * noise);
      x2.push(cy + rng.normal() * noise);
      y.push(j);
    }
  });
  return { x1, x2, y };
};

/** Like make_circles(factor = 0.5): class 0 on the unit circle, class 1 on radius 0.5. */
const circles: PointMaker = (rng, m, noise) => {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  classSizes(m).forEach((N, j) => {
    const radius = j === 0 ? 1 : 0.5;
    for (let k = 0; k < N; k++) {
      const angle = (2 * Math.PI * k) / N; // endpoint excluded: 0 and 2π are the same point
      x1.push(radius * Math.cos(angle) + rng.normal() * noise);
      x2.push(radius * Math.sin(angle) + rng.normal() * noise);
      y.push(j);
    }
  });
  return { x1, x2, y };
};

/**
 * XOR: points uniform in [−1, 1]², labelled 1 where x1·x2 > 0. Example k is put in
 * quadrant k mod 4, which is still uniform over the square but makes the classes
 * exactly balanced. Noise is jitter added after labelling, so it blurs the axes.
 */
const xor: PointMaker = (rng, m, noise) => {
  const quadrants = [
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < m; k++) {
    const [s1, s2] = quadrants[k % 4];
    x1.push(s1 * rng.uniform() + rng.normal() * noise);
    x2.push(s2 * rng.uniform() + rng.normal() * noise);
    y.push(s1 * s2 > 0 ? 1 : 0);
  }
  return { x1, x2, y };
};

/**
 * K arms: along an arm s goes 0 → 1, the radius 0.1 + 0.9·s and the angle 3π·s
 * (1.5 turns); arm j is arm 0 turned by 2π·j/K (two arms: 0.3 apart radially).
 */
const spiral: PointMaker = (rng, m, noise, K) => {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  classSizes(m, K).forEach((N, j) => {
    for (const s of linspace(0, 1, N)) {
      const radius = 0.1 + 0.9 * s;
      const angle = 3 * Math.PI * s + (j * 2 * Math.PI) / K;
      x1.push(radius * Math.cos(angle) + rng.normal() * noise);
      x2.push(radius * Math.sin(angle) + rng.normal() * noise);
      y.push(j);
    }
  });
  return { x1, x2, y };
};

/**
 * Isotropic Gaussians of standard deviation `noise`: two at (−1, −1) and (1, 1);
 * K > 2 centred on the circle of radius 2 at angles 2π·j/K.
 */
const blobs: PointMaker = (rng, m, noise, K) => {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  classSizes(m, K).forEach((N, j) => {
    const angle = (2 * Math.PI * j) / K;
    const [c1, c2] = K === 2 ? [j === 0 ? -1 : 1, j === 0 ? -1 : 1] : [2 * Math.cos(angle), 2 * Math.sin(angle)];
    for (let k = 0; k < N; k++) {
      x1.push(c1 + rng.normal() * noise);
      x2.push(c2 + rng.normal() * noise);
      y.push(j);
    }
  });
  return { x1, x2, y };
};

/** Regression: x uniform in [−1, 1]², y = sin(3·x1)·cos(2·x2) + N(0, noise²): a smooth ripple. */
const ripple: PointMaker = (rng, m, noise) => {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < m; k++) {
    const a = 2 * rng.uniform() - 1;
    const b = 2 * rng.uniform() - 1;
    x1.push(a);
    x2.push(b);
    y.push(Math.sin(3 * a) * Math.cos(2 * b) + rng.normal() * noise);
  }
  return { x1, x2, y };
};

const MAKERS: Record<DatasetName, PointMaker> = { flower, moons, circles, xor, spiral, blobs, ripple };

/** Builds a named data set; X is (2, m), Y is (1, m) of labels 0 … K−1 (or real targets for ripple), both Float32Array. */
export function makeDataset(name: DatasetName, opts: DatasetOptions = {}): Dataset {
  if (!(DATASET_NAMES as readonly unknown[]).includes(name)) {
    throw new InputError('dataset', `one of ${DATASET_NAMES.join(', ')}`, name);
  }
  const m = opts.m ?? DATASET_DEFAULTS[name].m;
  const noise = opts.noise ?? DATASET_DEFAULTS[name].noise;
  const seed = opts.seed ?? DEFAULT_DATASET_SEED;
  if (!Number.isSafeInteger(m) || m < 1) throw new InputError('m', 'an integer ≥ 1', m);
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new InputError('noise', 'a finite number ≥ 0', noise);
  }
  validateSeed(seed);
  const classes = opts.classes ?? 2;
  if (!Number.isSafeInteger(classes) || classes < 2) throw new InputError('classes', 'an integer ≥ 2', classes);
  if (classes !== 2 && !MULTICLASS_DATASETS.includes(name)) {
    throw new InputError('classes', `2 for ${name} (${MULTICLASS_DATASETS.join(' and ')} take K classes)`, classes);
  }

  const { x1, x2, y } = MAKERS[name](createRng(seed), m, noise, classes);
  // X is (n0 = 2, m): row 0 holds feature x1 of every example, row 1 feature x2.
  const X = new Float32Array(2 * m);
  X.set(x1, 0);
  X.set(x2, m);
  // Y is (1, m)
  const Y = Float32Array.from(y);
  return { name: classes === 2 ? name : `${name} (${classes} classes)`, n0: 2, m, X, Y };
}
