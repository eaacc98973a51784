// What a configuration needs on the GPU, estimated before anything is built, so a
// network too large for the device is refused at once with the numbers (what it
// needs, what the device allows, what to change) instead of failing minutes later
// deep inside WebGPU. WebGPU exposes no memory size, only per-buffer limits, so the
// total is held to a budget (maxMemoryBytes, default DEFAULT_MEMORY_BUDGET).
import { InputError } from '../errors.ts';
import { F32 } from '../gpu/constants.ts';
import { parameterCount } from '../validate.ts';

/** Default GPU memory budget: what a common laptop GPU can give one page. */
export const DEFAULT_MEMORY_BUDGET = 4 * 2 ** 30;

export interface MemoryConfig {
  sizes: readonly number[];
  /** Examples in the training set, and per step. */
  m: number;
  batchSize: number;
  /** Copies of the parameters in P: 1, + v (momentum, Adam), + s (Adam). */
  slots: number;
  /** Rows of Y: n_L, or 1 for softmax's class ids. */
  yRows: number;
  /** A weight penalty (L2 or L1): its mask over the parameters. */
  penalty: boolean;
}

export interface MemoryPart {
  name: string;
  bytes: number;
}

export interface MemoryEstimate {
  parts: MemoryPart[];
  total: number;
  /** The largest single buffer (each must fit the device's maxBufferSize). */
  largest: MemoryPart;
}

/**
 * An upper estimate of the trainer's GPU buffers: P (parameters and optimizer state),
 * the gradients, three snapshots of P, the data, and per set of examples a step runs
 * (the whole set, and a batch when there are batches) Z and A of every layer for the
 * forward pass and dZ, dA for the backward one.
 */
export function estimateMemory(c: MemoryConfig): MemoryEstimate {
  const n = parameterCount(c.sizes);
  const units = c.sizes.slice(1).reduce((a, b) => a + b, 0);
  const widest = Math.max(...c.sizes.slice(1));
  const P = n * c.slots * F32;
  const parts: MemoryPart[] = [
    { name: `parameters and optimizer state (${n.toLocaleString('en-US')} parameters × ${c.slots})`, bytes: P },
    { name: 'gradients', bytes: n * F32 },
    { name: 'three snapshots of the parameters (divergence replay, checkpoints)', bytes: 3 * P },
    { name: `data X, Y (${c.m.toLocaleString('en-US')} examples)`, bytes: (c.sizes[0] + c.yRows) * c.m * F32 },
    { name: `activations Z, A, dZ, dA of ${c.m.toLocaleString('en-US')} examples`, bytes: 4 * units * c.m * F32 },
  ];
  if (c.batchSize < c.m) {
    parts.push({ name: `a batch's X, Y and activations (${c.batchSize} examples)`, bytes: (c.sizes[0] + c.yRows + 4 * units) * c.batchSize * F32 });
  }
  if (c.penalty) parts.push({ name: 'penalty weight mask', bytes: n * F32 });
  const total = parts.reduce((sum, p) => sum + p.bytes, 0);
  const activation = { name: `one layer's activations (${widest.toLocaleString('en-US')} units × ${c.m.toLocaleString('en-US')} examples)`, bytes: widest * c.m * F32 };
  const largest = [parts[0], activation].reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return { parts, total, largest };
}

const GB = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 1)} GiB`;

/**
 * Refuses a configuration whose estimate passes the budget or whose parameter buffer
 * passes maxBufferSize, naming the numbers and the widest hidden layer that would fit.
 * (Activations past one buffer are split into chunks of examples: not refused here.)
 */
export function checkMemory(c: MemoryConfig, limits: { maxBufferSize: number }, budget = DEFAULT_MEMORY_BUDGET): MemoryEstimate {
  const e = estimateMemory(c);
  const P = e.parts[0];
  const overBuffer = P.bytes > limits.maxBufferSize;
  if (e.total <= budget && !overBuffer) return e;
  // The widest hidden layer (or the output layer of a network without one) that would fit, others kept.
  const L = c.sizes.length - 1;
  const hiddenIdx = c.sizes.slice(1, L).length ? c.sizes.indexOf(Math.max(...c.sizes.slice(1, L)), 1) : L;
  const fits = (w: number) => {
    const sizes = c.sizes.map((s, i) => (i === hiddenIdx ? w : s));
    const f = estimateMemory({ ...c, sizes });
    return f.total <= budget && f.parts[0].bytes <= limits.maxBufferSize;
  };
  let lo = 0;
  let hi = c.sizes[hiddenIdx];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const change = lo >= 1
    ? `at most ${lo.toLocaleString('en-US')} units in layer ${hiddenIdx} (--hidden/--layers), fewer examples, or a larger maxMemoryBytes`
    : 'a smaller network or fewer examples';
  const why = overBuffer
    ? `its parameter buffer needs ${GB(P.bytes)} and this device allows ${GB(limits.maxBufferSize)} per buffer (maxBufferSize)`
    : `it needs about ${GB(e.total)} of GPU memory and the budget is ${GB(budget)} (maxMemoryBytes)`;
  const biggest = [...e.parts].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((p) => `${p.name} ${GB(p.bytes)}`).join(', ');
  throw new InputError(`sizes[${hiddenIdx}]`, change, c.sizes[hiddenIdx], `${why}; largest parts: ${biggest}`);
}
