// Every kernel of the step, as a function from bindings and shapes to a recorded
// Dispatch. The trainer, the evaluator and the kernel tests all go through here,
// so what is tested is exactly what trains.
import aMinusYCode from '../../shaders/a_minus_y.wgsl?raw';
import costCode from '../../shaders/cost.wgsl?raw';
import matmulAbtScaledCode from '../../shaders/matmul_abt_scaled.wgsl?raw';
import matmulAtbCode from '../../shaders/matmul_atb.wgsl?raw';
import sgdUpdateCode from '../../shaders/sgd_update.wgsl?raw';
import sumRowsCode from '../../shaders/sum_rows.wgsl?raw';
import { forwardLayer } from '../../shaders/forward_layer.wgsl.ts';
import { mulGPrime } from '../../shaders/mul_g_prime.wgsl.ts';
import type { Activation } from '../types.ts';
import { F32, WORKGROUP_SIZE } from './constants.ts';
import { gridOfInvocations, gridOfWorkgroups, type Grid } from './grid.ts';
import type { Owner } from './owner.ts';
import { getPipeline, type KernelSource } from './pipelines.ts';
import { binding, type Tensor } from './tensor.ts';

/** One recorded kernel launch: pipeline, bind group and grid, all made once. */
export class Dispatch {
  constructor(
    readonly label: string,
    private readonly pipeline: GPUComputePipeline,
    private readonly bindGroup: GPUBindGroup,
    readonly grid: Grid,
    /** The uniform buffer holding this launch's shapes (and α for the update). */
    readonly uniform: GPUBuffer,
  ) {}

  record(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(this.grid[0], this.grid[1]);
  }
}

/**
 * Shapes passed to every kernel as `struct Dims { rows, cols, inner, scale, beta }`
 * (kernels that do not accumulate declare only the first four).
 */
interface Dims {
  rows: number;
  cols: number;
  inner?: number;
  scale?: number;
  /** out = beta·out + …: 0 overwrites, 1 adds a chunk of examples to the earlier ones. */
  beta?: number;
}

/** How a chunk of examples contributes to a sum over the whole set. */
export interface ChunkSum {
  /** m of the whole set (the kernels scale by 1/m). */
  m: number;
  /** Add to what earlier chunks wrote (beta = 1) instead of overwriting. */
  accumulate: boolean;
}

/** One invocation per output entry, one workgroup per entry or per row, or one workgroup. */
type GridKind = 'per-entry' | 'workgroup-per-entry' | 'per-row' | 'single';

async function dispatch(
  owner: Owner,
  label: string,
  source: KernelSource,
  dims: Dims,
  tensors: Tensor[],
  kind: GridKind,
): Promise<Dispatch> {
  const device = owner.device;
  const pipeline = await getPipeline(device, source);
  const words = new ArrayBuffer(8 * F32);
  new Uint32Array(words, 0, 3).set([dims.rows, dims.cols, dims.inner ?? 0]);
  new Float32Array(words, 3 * F32, 2).set([dims.scale ?? 1, dims.beta ?? 0]);
  const uniform = owner.bufferWith(`${label}.dims`, new Uint32Array(words), GPUBufferUsage.UNIFORM);
  const bindGroup = device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: uniform } },
      ...tensors.map((t, i) => ({ binding: i + 1, resource: binding(t) })),
    ],
  });
  const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
  const grids: Record<GridKind, () => Grid> = {
    'per-entry': () => gridOfInvocations(dims.rows * dims.cols, WORKGROUP_SIZE, maxPerDim),
    'workgroup-per-entry': () => gridOfWorkgroups(dims.rows * dims.cols, maxPerDim),
    'per-row': () => gridOfWorkgroups(dims.rows, maxPerDim),
    single: () => [1, 1],
  };
  const grid = grids[kind]();
  return new Dispatch(label, pipeline, bindGroup, grid, uniform);
}

/**
 * Z = W·A_prev + b, A = g(Z). W (n_l, n_{l-1}), A_prev (n_{l-1}, m), Z and A (n_l, m);
 * status[0] = 1 when an entry of Z is not finite.
 */
export function forwardLayerKernel(
  owner: Owner,
  label: string,
  g: Activation,
  t: { W: Tensor; b: Tensor; A_prev: Tensor; Z: Tensor; A: Tensor; status: Tensor },
): Promise<Dispatch> {
  const dims = { rows: t.Z.rows, cols: t.Z.cols, inner: t.W.cols };
  const source = { name: `forward_layer(${g})`, code: forwardLayer(g) };
  return dispatch(owner, label, source, dims, [t.W, t.b, t.A_prev, t.Z, t.A, t.status], 'per-entry');
}

/** dZ = A − Y, all (n_L, m). */
export function aMinusYKernel(owner: Owner, label: string, t: { A: Tensor; Y: Tensor; dZ: Tensor }): Promise<Dispatch> {
  const source = { name: 'a_minus_y', code: aMinusYCode };
  return dispatch(owner, label, source, { rows: t.dZ.rows, cols: t.dZ.cols }, [t.A, t.Y, t.dZ], 'per-entry');
}

/** dW = (1/m)·dZ·A_prevᵀ. dZ (n_l, m), A_prev (n_{l-1}, m), dW (n_l, n_{l-1}). */
export function dWKernel(
  owner: Owner,
  label: string,
  t: { dZ: Tensor; A_prev: Tensor; dW: Tensor },
  sum: ChunkSum = { m: t.dZ.cols, accumulate: false },
): Promise<Dispatch> {
  const dims = { rows: t.dW.rows, cols: t.dW.cols, inner: t.dZ.cols, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  const source = { name: 'matmul_abt_scaled', code: matmulAbtScaledCode };
  return dispatch(owner, label, source, dims, [t.dZ, t.A_prev, t.dW], 'workgroup-per-entry');
}

/** db = (1/m)·Σ_j dZ[:, j]. dZ (n_l, m), db (n_l, 1). */
export function dbKernel(
  owner: Owner,
  label: string,
  t: { dZ: Tensor; db: Tensor },
  sum: ChunkSum = { m: t.dZ.cols, accumulate: false },
): Promise<Dispatch> {
  const dims = { rows: t.dZ.rows, cols: t.dZ.cols, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  return dispatch(owner, label, { name: 'sum_rows', code: sumRowsCode }, dims, [t.dZ, t.db], 'per-row');
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

/** metrics = [J, accuracy] from the output logits Z (n_L, m) and labels Y. */
export function costKernel(
  owner: Owner,
  label: string,
  t: { Z: Tensor; Y: Tensor; metrics: Tensor },
  sum: ChunkSum = { m: t.Z.cols, accumulate: false },
): Promise<Dispatch> {
  const dims = { rows: t.Z.rows, cols: t.Z.cols, inner: t.Z.rows * sum.m, scale: 1 / sum.m, beta: sum.accumulate ? 1 : 0 };
  return dispatch(owner, label, { name: 'cost', code: costCode }, dims, [t.Z, t.Y, t.metrics], 'single');
}

/**
 * P ← P − α·dP over whole flat buffers (all parameters in one dispatch);
 * status[0] = 1 when an updated parameter is not finite.
 */
export async function sgdUpdateKernel(
  owner: Owner,
  label: string,
  t: { P: Tensor; dP: Tensor; status: Tensor },
  learningRate: number,
): Promise<{ dispatch: Dispatch; setLearningRate(alpha: number): void }> {
  const dims = { rows: t.P.rows * t.P.cols, cols: 1, scale: learningRate };
  const source = { name: 'sgd_update', code: sgdUpdateCode };
  const d = await dispatch(owner, label, source, dims, [t.P, t.dP, t.status], 'per-entry');
  // α sits in the `scale` slot of Dims, the uniform's last word.
  const setLearningRate = (alpha: number) =>
    owner.device.queue.writeBuffer(d.uniform, 3 * F32, new Float32Array([alpha]));
  return { dispatch: d, setLearningRate };
}
