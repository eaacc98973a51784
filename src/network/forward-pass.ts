// Forward propagation over a data set, built once and recorded many times:
//   Z[l] = W[l]·A[l−1] + b[l],  A[l] = g_l(Z[l]) for hidden layers, the head's
//   function for the last (σ, softmax per column, or the identity).
// Optionally the cost J and the head's metric of A[L] against Y, and the weight penalties' terms.
import { F32 } from '../gpu/constants.ts';
import { costKernel, forwardLayerKernel, penaltyCostKernel, softmaxKernel, type ChunkSum, type Matmul } from '../gpu/kernels.ts';
import type { Dispatch } from '../gpu/program.ts';
import type { Owner } from '../gpu/owner.ts';
import { storageUsage, type Tensor } from '../gpu/tensor.ts';
import type { NetworkSpec } from '../types.ts';

/** The weight penalties on the GPU: the parameters (first copy of P), the weight mask, L2's λ2 and L1's λ1, and m of the whole set. */
export interface PenaltyTensors {
  P: Tensor;
  mask: Tensor;
  l2: number;
  l1: number;
  m: number;
}

export interface ParameterTensors {
  /** W[l], b[l] for l = 1..L; index 0 unused. */
  W: Tensor[];
  b: Tensor[];
}

/** A fresh (rows, cols) tensor in its own buffer. */
export function newTensor(owner: Owner, label: string, rows: number, cols: number): Tensor {
  return { label, buffer: owner.buffer(label, rows * cols * F32, storageUsage()), offset: 0, rows, cols };
}

/** A tensor in its own buffer, filled with `data`. */
export function uploadTensor(owner: Owner, label: string, rows: number, cols: number, data: Float32Array): Tensor {
  return { label, buffer: owner.bufferWith(label, data, storageUsage()), offset: 0, rows, cols };
}

export class ForwardPass {
  private constructor(
    /** Z[l] for l = 1..L, (n_l, m); index 0 unused. */
    readonly Z: Tensor[],
    /** A[0] = X (n0, m); A[l] = g(Z[l]), (n_l, m). */
    readonly A: Tensor[],
    /** Forward propagation through every layer, in order. */
    readonly layers: readonly Dispatch[],
    /** [J, accuracy], written by the cost dispatches. */
    readonly metrics: Tensor | null,
    /** J and the metric of A[L] against Y (and L2's term) into metrics: run in steps that log their cost. */
    readonly cost: readonly Dispatch[],
  ) {}

  static async create(
    owner: Owner,
    net: NetworkSpec,
    params: ParameterTensors,
    X: Tensor,
    Y: Tensor | null,
    opts: {
      /** status[0] is set to 1 when any Z is not finite. */
      status: Tensor;
      /** Where the cost goes, [J, metric] (with Y; the trainer's or the evaluator's one tensor), and for a chunk of a larger set how it adds to the earlier ones. */
      metrics?: Tensor;
      sum?: ChunkSum;
      /** Adds the penalties (λ2/2m)·Σ‖W‖² + (λ1/m)·Σ|W| to the cost (give it to one chunk only). */
      penalty?: PenaltyTensors;
      /** The layers' products: plain (default) or register-tiled. */
      matmul?: Matmul;
    },
  ): Promise<ForwardPass> {
    const { sizes, head } = net;
    const L = sizes.length - 1;
    const m = X.cols;
    const Z: Tensor[] = [X];
    const A: Tensor[] = [X];
    const layers: Promise<Dispatch>[] = [];
    for (let l = 1; l <= L; l++) {
      Z.push(newTensor(owner, `Z${l}`, sizes[l], m));
      A.push(newTensor(owner, `A${l}`, sizes[l], m));
      const g = l < L ? net.hidden[l - 1] : head === 'sigmoid' ? 'sigmoid' : 'identity';
      const t = { W: params.W[l], b: params.b[l], A_prev: A[l - 1], Z: Z[l], A: A[l], status: opts.status };
      const z = `Z${l} = W${l}·${l === 1 ? 'X' : `A${l - 1}`} + b${l}`;
      const a = g !== 'identity' ? `, A${l} = ${g}(Z${l})` : head === 'linear' ? `, A${l} = Z${l}` : '';
      layers.push(forwardLayerKernel(owner, z + a, g, t, opts.matmul));
    }
    if (head === 'softmax') layers.push(softmaxKernel(owner, `A${L} = softmax(Z${L})`, { Z: Z[L], A: A[L] }));
    let metrics: Tensor | null = null;
    const cost: Promise<Dispatch>[] = [];
    if (Y) {
      if (!opts.metrics) throw new Error('a forward pass with labels Y needs the metrics tensor its cost goes to');
      metrics = opts.metrics;
      cost.push(costKernel(owner, `J and the ${head === 'linear' ? 'squared error' : 'accuracy'} of A${L} against Y`, head, { Z: Z[L], Y, metrics }, opts.sum));
      const p = opts.penalty;
      if (p && (p.l2 > 0 || p.l1 > 0)) {
        const label = [p.l2 > 0 ? '(λ/2m)·Σ‖W‖²' : '', p.l1 > 0 ? '(λ1/m)·Σ|W|' : ''].filter(Boolean).join(' + ');
        cost.push(penaltyCostKernel(owner, `cost += ${label}`, { P: p.P, mask: p.mask, metrics }, { l2: p.l2 / (2 * p.m), l1: p.l1 / p.m }));
      }
    }
    const costDispatches = (await Promise.all(cost)).map((d): Dispatch => ({ ...d, when: 'cost' }));
    return new ForwardPass(Z, A, await Promise.all(layers), metrics, costDispatches);
  }

  /** Z[l], A[l] by name (Z1, A1, …). */
  get tensors(): Record<string, Tensor> {
    const named: Record<string, Tensor> = {};
    for (let l = 1; l < this.Z.length; l++) Object.assign(named, { [`Z${l}`]: this.Z[l], [`A${l}`]: this.A[l] });
    return named;
  }

  get output(): Tensor {
    return this.A[this.A.length - 1];
  }
}

/** J and the metric on a whole set, each chunk's forward pass in turn (they share metrics and add up). */
export function chunksCost(forwards: readonly ForwardPass[]): Dispatch[] {
  return forwards.flatMap((forward) => [...forward.layers, ...forward.cost]);
}

/** A cost pass made of the training chunks' forward passes, and the Z and A the first one leaves in place. */
export function chunksCostPass(chunks: readonly { forward: ForwardPass }[]): { cost: Dispatch[]; tensors: Record<string, Tensor> } {
  return { cost: chunksCost(chunks.map((c) => c.forward)), tensors: chunks[0].forward.tensors };
}
