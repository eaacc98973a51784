// What one benchmark run measures: network sizes, contenders, and how long to
// time each. Plain data, shared by the Node CLI (bench/run.ts), the headless
// page (bench/page.ts) and the demo's performance page.

/** Every implementation the benchmark can race. */
export const CONTENDERS = ['webgpu', 'webgpu-simple', 'webgpu-fused', 'webgpu-small', 'webgpu-tiled', 'webgpu-shared', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu', 'jaxjs-webgpu', 'jaxjs-wasm', 'js'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export const CONTENDER_LABELS: Record<ContenderName, string> = {
  webgpu: 'this trainer (WebGPU, auto variant)',
  'webgpu-simple': 'this trainer, simple kernels',
  'webgpu-fused': 'this trainer, one-workgroup fused kernel',
  'webgpu-small': 'this trainer, the small step (any network, one workgroup)',
  'webgpu-tiled': 'this trainer, tiled kernels',
  'webgpu-shared': 'this trainer, workgroup-memory products (the GPU path)',
  'tfjs-webgpu': 'TF.js webgpu backend',
  'tfjs-wasm': 'TF.js wasm backend',
  'tfjs-cpu': 'TF.js cpu backend',
  'jaxjs-webgpu': 'jax-js webgpu (grad under jit)',
  'jaxjs-wasm': 'jax-js wasm (grad under jit)',
  js: 'plain JavaScript loops',
};

export const DEFAULT_CONTENDERS: ContenderName[] = ['webgpu', 'jaxjs-webgpu', 'jaxjs-wasm', 'tfjs-webgpu', 'tfjs-wasm', 'js'];

/** One network and data set: [n0, n1, 1] on m examples. */
export interface BenchSize {
  /** e.g. "784-128-1", "784-1024-1@2000" or "784-128-1@10000:dense". */
  id: string;
  sizes: [number, number, number];
  m: number;
  /**
   * flower for n0 = 2, real MNIST digits for n0 = 784 (mostly zeros: the sparse
   * kernels' case), seeded dense Gaussian data otherwise or when the id ends in ":dense".
   */
  data: 'flower' | 'mnist' | 'random';
  learningRate: number;
  /** Steps every contender takes from the same start before the costs are compared. */
  checkSteps: number;
}

/**
 * The seed's two small sizes, real digits, and dense Gaussian data at the sizes issue 13
 * measured (every entry of X nonzero: no sparse shortcut).
 */
export const DEFAULT_SIZES = ['2-4-1', '2-64-1', '784-128-1', '784-1024-1@2000', '64-256-1@8192', '784-128-1@10000:dense'];

/** "n0-n1-1" with an optional "@m" and ":dense"; defaults: m = 400 for n0 = 2, 10,000 for MNIST, 1,000 otherwise. */
export function parseSize(id: string): BenchSize {
  const match = /^(\d+)-(\d+)-1(?:@(\d+))?(:dense)?$/.exec(id.trim());
  if (!match) throw new Error(`size "${id}": expected n0-n1-1, n0-n1-1@m or n0-n1-1@m:dense, e.g. 2-4-1, 784-1024-1@2000 or 784-128-1@10000:dense`);
  const [n0, n1] = [Number(match[1]), Number(match[2])];
  const data = match[4] ? 'random' : n0 === 2 ? 'flower' : n0 === 784 ? 'mnist' : 'random';
  const m = match[3] ? Number(match[3]) : data === 'flower' ? 400 : data === 'mnist' ? 10_000 : 1000;
  if (n0 < 1 || n1 < 1 || m < 1) throw new Error(`size "${id}": n0, n1 and m must be ≥ 1`);
  if (data === 'mnist' && m > 10_000) throw new Error(`size "${id}": the mnist package has 10,000 digits`);
  // Few steps where one step takes seconds; enough for the costs to move elsewhere.
  const work = n0 * n1 * m;
  const checkSteps = work > 2e8 ? 2 : work > 2e7 ? 3 : work > 1e6 ? 20 : 50;
  return { id: id.trim(), sizes: [n0, n1, 1], m, data, learningRate: data === 'flower' ? 1.2 : 0.5, checkSteps };
}

export interface BenchConfig {
  sizes: string[];
  contenders: ContenderName[];
  /** A timed run lasts at least this long (the check run counts when it is long enough). */
  minSeconds: number;
  /** Our trainer's steps per queue submit. */
  stepsPerSubmit: number;
  /** Relative cost difference allowed against the plain-JS (float64) cost. */
  tolerance: number;
  /** Test hook: multiply one contender's reported cost, to show the check fails. */
  corrupt?: { contender: ContenderName; factor: number };
  /** Time this trainer's kernels with timestamp queries after its timed run. */
  profile?: boolean;
}

export const DEFAULT_CONFIG: BenchConfig = {
  sizes: DEFAULT_SIZES,
  contenders: DEFAULT_CONTENDERS,
  // Each timed run ends with one cost evaluation over all the data (every contender):
  // 3 s spreads it over several steps even where a step takes most of a second.
  minSeconds: 3,
  stepsPerSubmit: 64,
  tolerance: 2e-3,
};
