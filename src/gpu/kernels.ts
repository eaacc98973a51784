// Every kernel of the general step, as a function from bindings and shapes to a
// Dispatch (program.ts). The trainer, the evaluator and the kernel tests all go through here,
// so what is tested is exactly what trains.
import gatherColumnsCode from '../../shaders/gather_columns.wgsl.ts';
import matmulAtbCode from '../../shaders/matmul_atb.wgsl.ts';
import softmaxColumnsCode from '../../shaders/softmax_columns.wgsl.ts';
import tickCode from '../../shaders/tick.wgsl.ts';
import { aMinusY } from '../../shaders/a_minus_y.wgsl.ts';
import type { LayerFunction } from '../../shaders/activations.wgsl.ts';
import { batchIndicesCode } from '../../shaders/batch_indices.wgsl.ts';
import { costKernelCode } from '../../shaders/cost.wgsl.ts';
import { forwardLayer } from '../../shaders/forward_layer.wgsl.ts';
import { penaltyCostCode, penaltyGradientCode } from '../../shaders/penalty.wgsl.ts';
import { matmulAbtScaled } from '../../shaders/matmul_abt_scaled.wgsl.ts';
import { sumRows } from '../../shaders/sum_rows.wgsl.ts';
import { tiledMatmul, tiledMatmulName, type TiledMatmul } from '../../shaders/matmul_tiled.wgsl.ts';
import { SHARED_TILE, sharedMatmul, sharedMatmulName } from '../../shaders/matmul_shared.wgsl.ts';
import { mulGPrime } from '../../shaders/mul_g_prime.wgsl.ts';
import { updateKernelCode } from '../../shaders/update.wgsl.ts';
import { halfBits } from '../training/shuffle.ts';
import type { Activation, Head, Optimizer } from '../types.ts';
import { F32, WORKGROUP_SIZE } from './constants.ts';
import { gridOfInvocations, gridOfWorkgroups, type Grid } from './grid.ts';
import type { Owner } from './owner.ts';
import type { KernelSource } from './pipelines.ts';
import { kernel, type Dispatch } from './program.ts';
import { binding, type Tensor } from './tensor.ts';

/**
 * Shapes passed to every kernel as `struct Dims { rows, cols, inner, scale, beta }`
 * (kernels that do not accumulate declare only the first four; the update adds
 * its optimizer's constants in words 5–7).
 */
export interface Dims {
  rows: number;
  cols: number;
  inner?: number;
  scale?: number;
  /** out = beta·out + …: 0 overwrites, 1 adds a chunk of examples to the earlier ones. */
  beta?: number;
  /** Float words after beta (at most 3). */
  extra?: number[];
  /** A kernel with a uniform of its own: these u32 words instead of Dims. */
  words?: number[];
}

/** How a chunk of examples contributes to a sum over the whole set. */
export interface ChunkSum {
  /** m of the whole set (the kernels scale by 1/m). */
  m: number;
  /** Add to what earlier chunks wrote (beta = 1) instead of overwriting. */
  accumulate: boolean;
}

/**
 * One invocation per output entry, column, row or 4×4 tile, one workgroup per entry
 * or per row, or one workgroup.
 */
type GridKind = 'per-entry' | 'per-column' | 'invocation-per-row' | 'per-tile' | 'workgroup-per-tile' | 'workgroup-per-entry' | 'per-row' | 'single';

/**
 * How a layer's products run: 'plain' kernels (one invocation per output entry, as the
 * notes write them), 'tiled' ones (4×4 outputs per invocation, matmul_tiled.wgsl.ts) or
 * 'shared' ones (64×64 outputs per workgroup staged in workgroup memory, for GPUs:
 * matmul_shared.wgsl.ts). 'tiled' and 'shared' run Wᵀ·dZ and g' in one dispatch.
 */
export type Matmul = 'plain' | 'tiled' | 'shared';

/** The Dims uniform of a kernel (binding 0); COPY_DST: a step's α is rewritten in place (setLearningRate). */
export function dimsUniform(owner: Owner, label: string, dims: Dims): GPUBuffer {
  const words = new ArrayBuffer(8 * F32);
  if (dims.words) {
    new Uint32Array(words).set(dims.words);
  } else {
    new Uint32Array(words, 0, 3).set([dims.rows, dims.cols, dims.inner ?? 0]);
    new Float32Array(words, 3 * F32, 5).set([dims.scale ?? 1, dims.beta ?? 0, ...(dims.extra ?? [])]);
  }
  return owner.bufferWith(`${label}.dims`, new Uint32Array(words), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
}

/** A kernel with the Dims uniform (binding 0) made for it; returns the uniform too (the update rewrites α there). */
async function dimsDispatch(
  owner: Owner,
  label: string,
  source: KernelSource,
  dims: Dims,
  tensors: Tensor[],
  kind: GridKind,
): Promise<{ dispatch: Dispatch; uniform: GPUBuffer }> {
  const uniform = dimsUniform(owner, label, dims);
  const grid = gridOf(owner.device, kind, dims);
  return { dispatch: await kernel(owner.device, { label, source, resources: [uniform, ...tensors], grid }), uniform };
}

async function dispatch(owner: Owner, label: string, source: KernelSource, dims: Dims, tensors: Tensor[], kind: GridKind): Promise<Dispatch> {
  return (await dimsDispatch(owner, label, source, dims, tensors, kind)).dispatch;
}

/** The workgroups of a kernel whose invocations cover its output as `kind` says. */
function gridOf(device: GPUDevice, kind: GridKind, dims: Dims): Grid {
  const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
  const grids: Record<GridKind, () => Grid> = {
    'per-entry': () => gridOfInvocations(dims.rows * dims.cols, WORKGROUP_SIZE, maxPerDim),
    'per-column': () => gridOfInvocations(dims.cols, WORKGROUP_SIZE, maxPerDim),
    'invocation-per-row': () => gridOfInvocations(dims.rows, WORKGROUP_SIZE, maxPerDim),
    'per-tile': () => gridOfInvocations(Math.ceil(dims.rows / 4) * Math.ceil(dims.cols / 4), WORKGROUP_SIZE, maxPerDim),
    'workgroup-per-tile': () => gridOfWorkgroups(Math.ceil(dims.rows / SHARED_TILE) * Math.ceil(dims.cols / SHARED_TILE), maxPerDim),
    'workgroup-per-entry': () => gridOfWorkgroups(dims.rows * dims.cols, maxPerDim),
    'per-row': () => gridOfWorkgroups(dims.rows, maxPerDim),
    single: () => [1, 1],
  };
  return grids[kind]();
}

/**
 * Z = W·A_prev + b, A = g(Z). W (n_l, n_{l-1}), A_prev (n_{l-1}, m), Z and A (n_l, m);
 * status[0] = 1 when an entry of Z is not finite.
 */
export function forwardLayerKernel(
  owner: Owner,
  label: string,
  g: LayerFunction,
  t: { W: Tensor; b: Tensor; A_prev: Tensor; Z: Tensor; A: Tensor; status: Tensor },
  matmul: Matmul = 'plain',
): Promise<Dispatch> {
  const dims = { rows: t.Z.rows, cols: t.Z.cols, inner: t.W.cols };
  const tensors = [t.W, t.b, t.A_prev, t.Z, t.A, t.status];
  if (matmul === 'shared') return sharedDispatch(owner, label, { product: 'forward', g }, dims, tensors);
  if (matmul === 'tiled') return tiledDispatch(owner, label, { product: 'forward', g, vec4Cols: dims.cols % 4 === 0, vec4Inner: dims.cols % 4 === 0 && dims.inner % 4 === 0 }, dims, tensors);
  const source = { name: `forward_layer(${g})`, code: forwardLayer(g) };
  return dispatch(owner, label, source, dims, tensors, 'per-entry');
}

function tiledDispatch(owner: Owner, label: string, k: TiledMatmul, dims: Dims, tensors: Tensor[]): Promise<Dispatch> {
  return dispatch(owner, label, { name: tiledMatmulName(k), code: tiledMatmul(k) }, dims, tensors, 'per-tile');
}

function sharedDispatch(owner: Owner, label: string, k: TiledMatmul, dims: Dims, tensors: Tensor[]): Promise<Dispatch> {
  return dispatch(owner, label, { name: sharedMatmulName(k), code: sharedMatmul(k) }, dims, tensors, 'workgroup-per-tile');
}

/** A = softmax(Z) per column, Z and A (K, m): the softmax head's output. */
export function softmaxKernel(owner: Owner, label: string, t: { Z: Tensor; A: Tensor }): Promise<Dispatch> {
  const source = { name: 'softmax_columns', code: softmaxColumnsCode };
  return dispatch(owner, label, source, { rows: t.Z.rows, cols: t.Z.cols }, [t.Z, t.A], 'per-column');
}

/** dZ = A − T, all (n_L, m); T = Y, or the one-hot columns of Y's class ids (1, m) for softmax. */
export function aMinusYKernel(owner: Owner, label: string, head: Head, t: { A: Tensor; Y: Tensor; dZ: Tensor }): Promise<Dispatch> {
  const source = { name: `a_minus_y(${head})`, code: aMinusY(head) };
  return dispatch(owner, label, source, { rows: t.dZ.rows, cols: t.dZ.cols }, [t.A, t.Y, t.dZ], 'per-entry');
}

/** Sums over at most this many examples run one invocation per entry of dW or db; longer ones a workgroup per entry. */
export const SERIAL_DW_MAX_INNER = 2048;

/**
 * dW = (1/m)·dZ·A_prevᵀ. dZ (n_l, m), A_prev (n_{l-1}, m), dW (n_l, n_{l-1}). Short
 * sums (mini-batches) run serially per entry, long ones spread over a workgroup.
 */
export function dWKernel(
  owner: Owner,
  label: string,
  t: { dZ: Tensor; A_prev: Tensor; dW: Tensor },
  sum: ChunkSum = { m: t.dZ.cols, accumulate: false },
  matmul: Matmul = 'plain',
): Promise<Dispatch> {
  const dims = { rows: t.dW.rows, cols: t.dW.cols, inner: t.dZ.cols, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  if (matmul === 'shared') return sharedDispatch(owner, label, { product: 'dw' }, dims, [t.dZ, t.A_prev, t.dW]);
  if (matmul === 'tiled') return tiledDispatch(owner, label, { product: 'dw', vec4Inner: dims.inner % 4 === 0 }, dims, [t.dZ, t.A_prev, t.dW]);
  const serial = dims.inner <= SERIAL_DW_MAX_INNER;
  const source = { name: serial ? 'matmul_abt_scaled_serial' : 'matmul_abt_scaled', code: matmulAbtScaled(serial) };
  return dispatch(owner, label, source, dims, [t.dZ, t.A_prev, t.dW], serial ? 'per-entry' : 'workgroup-per-entry');
}

/** db = (1/m)·Σ_j dZ[:, j]. dZ (n_l, m), db (n_l, 1). */
export function dbKernel(
  owner: Owner,
  label: string,
  t: { dZ: Tensor; db: Tensor },
  sum: ChunkSum = { m: t.dZ.cols, accumulate: false },
): Promise<Dispatch> {
  const dims = { rows: t.dZ.rows, cols: t.dZ.cols, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  if (dims.cols <= SERIAL_DW_MAX_INNER) {
    return dispatch(owner, label, { name: 'sum_rows_serial', code: sumRows(true) }, dims, [t.dZ, t.db], 'invocation-per-row');
  }
  return dispatch(owner, label, { name: 'sum_rows', code: sumRows(false) }, dims, [t.dZ, t.db], 'per-row');
}

/** dA_prev = Wᵀ·dZ. W (n_l, n_{l-1}), dZ (n_l, m), dA_prev (n_{l-1}, m). */
export function wTransposeDzKernel(
  owner: Owner,
  label: string,
  t: { W: Tensor; dZ: Tensor; dA_prev: Tensor },
): Promise<Dispatch> {
  const dims = { rows: t.dA_prev.rows, cols: t.dA_prev.cols, inner: t.W.rows };
  const source = { name: 'matmul_atb', code: matmulAtbCode };
  return dispatch(owner, label, source, dims, [t.W, t.dZ, t.dA_prev], 'per-entry');
}

/**
 * dZ_prev = (Wᵀ·dZ) ⊙ g'(Z_prev) in one tiled or shared dispatch (the plain kernels take
 * two: wTransposeDzKernel, then mulGPrimeKernel). W (n_l, n_{l-1}), dZ (n_l, m), Z_prev and dZ_prev (n_{l-1}, m).
 */
export function backwardLayerTiledKernel(
  owner: Owner,
  label: string,
  g: Activation,
  t: { W: Tensor; dZ: Tensor; Z_prev: Tensor; dZ_prev: Tensor },
  matmul: Exclude<Matmul, 'plain'> = 'tiled',
): Promise<Dispatch> {
  const dims = { rows: t.dZ_prev.rows, cols: t.dZ_prev.cols, inner: t.W.rows };
  if (matmul === 'shared') return sharedDispatch(owner, label, { product: 'backward', g }, dims, [t.W, t.dZ, t.Z_prev, t.dZ_prev]);
  return tiledDispatch(owner, label, { product: 'backward', g, vec4Cols: dims.cols % 4 === 0 }, dims, [t.W, t.dZ, t.Z_prev, t.dZ_prev]);
}

/** dZ = dA ⊙ g'(Z), all (n_l, m). */
export function mulGPrimeKernel(
  owner: Owner,
  label: string,
  g: Activation,
  t: { dA: Tensor; Z: Tensor; dZ: Tensor },
): Promise<Dispatch> {
  const source = { name: `mul_g_prime(${g})`, code: mulGPrime(g) };
  return dispatch(owner, label, source, { rows: t.dZ.rows, cols: t.dZ.cols }, [t.dA, t.Z, t.dZ], 'per-entry');
}

/**
 * metrics = [J, metric] from the output logits Z (n_L, m) and targets Y, in the
 * head's form: metric is the accuracy (sigmoid: over all outputs, softmax: over
 * examples) or, for the linear head, the mean squared error over all outputs.
 */
export function costKernel(
  owner: Owner,
  label: string,
  head: Head,
  t: { Z: Tensor; Y: Tensor; metrics: Tensor },
  sum: ChunkSum = { m: t.Z.cols, accumulate: false },
): Promise<Dispatch> {
  const inner = head === 'softmax' ? sum.m : t.Z.rows * sum.m;
  const dims = { rows: t.Z.rows, cols: t.Z.cols, inner, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  return dispatch(owner, label, { name: `cost(${head})`, code: costKernelCode(head) }, dims, [t.Z, t.Y, t.metrics], 'single');
}

/**
 * Every parameter at once by the optimizer's rule (shaders/updates.wgsl.ts); P holds
 * the n = `count` parameters, then the optimizer's v and s (each n floats);
 * status[0] = 1 when an updated parameter is not finite. Adam reads the clock.
 */
export async function updateKernel(
  owner: Owner,
  label: string,
  optimizer: Optimizer,
  t: { P: Tensor; dP: Tensor; status: Tensor; clock?: Tensor },
  count: number,
  learningRate: number,
): Promise<{ dispatch: Dispatch; setLearningRate(alpha: number): void }> {
  const dims = { rows: count, cols: 1, scale: learningRate, extra: [optimizer.beta1, optimizer.beta2, optimizer.epsilon] };
  const source = { name: `update(${optimizer.kind})`, code: updateKernelCode(optimizer.kind) };
  const tensors = [t.P, t.dP, t.status, ...(optimizer.kind === 'adam' ? [t.clock!] : [])];
  const { dispatch: d, uniform } = await dimsDispatch(owner, label, source, dims, tensors, 'per-entry');
  // α sits in the `scale` slot of Dims.
  const setLearningRate = (alpha: number) =>
    owner.device.queue.writeBuffer(uniform, 3 * F32, new Float32Array([alpha]));
  return { dispatch: d, setLearningRate };
}

/** The weight penalties' factors: L2's and L1's, for the gradient (λ2/m, λ1/m) or the cost (λ2/2m, λ1/m). */
export interface PenaltyFactors {
  l2: number;
  l1: number;
}

/** dP += mask ⊙ (λ2/m·P + λ1/m·sign(P)) over the n parameters (mask 1 on weights): the penalties' part of the gradient. */
export function penaltyGradientKernel(owner: Owner, label: string, t: { P: Tensor; mask: Tensor; dP: Tensor }, f: PenaltyFactors): Promise<Dispatch> {
  const dims = { rows: t.mask.rows, cols: 1, scale: f.l2, extra: [f.l1] };
  return dispatch(owner, label, { name: 'penalty_gradient', code: penaltyGradientCode }, dims, [t.P, t.mask, t.dP], 'per-entry');
}

/** metrics[0] += Σ mask ⊙ (λ2/2m·P² + λ1/m·|P|): the penalties' part of the cost. */
export function penaltyCostKernel(owner: Owner, label: string, t: { P: Tensor; mask: Tensor; metrics: Tensor }, f: PenaltyFactors): Promise<Dispatch> {
  const dims = { rows: t.mask.rows, cols: 1, scale: f.l2, extra: [f.l1] };
  return dispatch(owner, label, { name: 'penalty_cost', code: penaltyCostCode }, dims, [t.P, t.mask, t.metrics], 'single');
}

/** index[j] = the j-th example of step clock[0]'s batch (count of them), batches of B from m. */
export function batchIndicesKernel(
  owner: Owner,
  label: string,
  t: { clock: Tensor; index: Tensor },
  b: { count: number; m: number; B: number; nb: number; seed: number },
): Promise<Dispatch> {
  const dims = { rows: b.count, cols: 1, words: [b.count, b.m, b.B, b.nb, b.seed >>> 0, halfBits(b.m)] };
  return dispatch(owner, label, { name: 'batch_indices', code: batchIndicesCode }, dims, [t.clock, t.index], 'per-entry');
}

/** out[i, j] = src[i, index[j]]: src (n, m), out (n, batch). */
export function gatherColumnsKernel(owner: Owner, label: string, t: { src: Tensor; index: Tensor; out: Tensor }): Promise<Dispatch> {
  const dims = { rows: t.out.rows, cols: t.out.cols, inner: t.src.cols };
  return dispatch(owner, label, { name: 'gather_columns', code: gatherColumnsCode }, dims, [t.src, t.index, t.out], 'per-entry');
}

/** clock[0] += 1, after a step's update. */
export function tickKernel(owner: Owner, label: string, t: { clock: Tensor }): Promise<Dispatch> {
  return kernel(owner.device, { label, source: { name: 'tick', code: tickCode }, resources: [t.clock], grid: [1, 1] });
}
