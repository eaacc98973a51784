// Backpropagation, built once and recorded many times (equations (1)-(6)):
//   dZ[L] = A[L] − T   (T = Y, or one-hot Y for softmax: each head's canonical cost)
//   dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ
//   db[l] = (1/m)·Σ_j dZ[l][:, j]
//   dZ[l−1] = (W[l]ᵀ·dZ[l]) ⊙ g'(Z[l−1])
import {
  aMinusYKernel,
  backwardLayerTiledKernel,
  dbKernel,
  dWKernel,
  mulGPrimeKernel,
  wTransposeDzKernel,
  type ChunkSum,
  type Matmul,
} from '../gpu/kernels.ts';
import type { Dispatch } from '../gpu/program.ts';
import type { Owner } from '../gpu/owner.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { NetworkSpec } from '../types.ts';
import { newTensor, type ForwardPass, type ParameterTensors } from './forward-pass.ts';

export interface GradientTensors {
  /** dW[l], db[l] for l = 1..L, laid out like the parameters; index 0 unused. */
  dW: Tensor[];
  db: Tensor[];
}

export class BackwardPass {
  private constructor(
    /** dZ[l] for l = 1..L, (n_l, m). */
    readonly dZ: Tensor[],
    /** dA[l] = W[l+1]ᵀ·dZ[l+1] for hidden layers l = 1..L−1, (n_l, m); empty with tiled products. */
    readonly dA: Tensor[],
    /** In the order of the equations. */
    readonly dispatches: readonly Dispatch[],
  ) {}

  static async create(
    owner: Owner,
    net: NetworkSpec,
    params: ParameterTensors,
    grads: GradientTensors,
    forward: ForwardPass,
    Y: Tensor,
    /** For a chunk of a larger set: dW and db add this chunk's part to the earlier ones. */
    sum?: ChunkSum,
    /** The layers' products: plain (default) or register-tiled (Wᵀ·dZ and g' in one dispatch, no dA). */
    matmul: Matmul = 'plain',
  ): Promise<BackwardPass> {
    const { sizes } = net;
    const L = sizes.length - 1;
    const m = Y.cols;
    const { Z, A } = forward;
    const dZ: Tensor[] = [Z[0]];
    const dA: Tensor[] = [Z[0]];
    for (let l = 1; l <= L; l++) {
      dZ.push(newTensor(owner, `dZ${l}`, sizes[l], m));
      if (matmul === 'plain') dA.push(l < L ? newTensor(owner, `dA${l}`, sizes[l], m) : Z[0]);
    }
    const steps: Promise<Dispatch>[] = [aMinusYKernel(owner, `dZ${L} = A${L} − Y`, net.head, { A: A[L], Y, dZ: dZ[L] })];
    for (let l = L; l >= 1; l--) {
      steps.push(dWKernel(owner, `dW${l} = (1/m)·dZ${l}·${l === 1 ? 'X' : `A${l - 1}`}ᵀ`, { dZ: dZ[l], A_prev: A[l - 1], dW: grads.dW[l] }, sum, matmul));
      steps.push(dbKernel(owner, `db${l} = (1/m)·Σ_j dZ${l}`, { dZ: dZ[l], db: grads.db[l] }, sum));
      if (l > 1) {
        const k = l - 1;
        if (matmul !== 'plain') {
          const t = { W: params.W[l], dZ: dZ[l], Z_prev: Z[k], dZ_prev: dZ[k] };
          steps.push(backwardLayerTiledKernel(owner, `dZ${k} = W${l}ᵀ·dZ${l} ⊙ g'(Z${k})`, net.hidden[k - 1], t, matmul));
          continue;
        }
        steps.push(wTransposeDzKernel(owner, `dA${k} = W${l}ᵀ·dZ${l}`, { W: params.W[l], dZ: dZ[l], dA_prev: dA[k] }));
        steps.push(mulGPrimeKernel(owner, `dZ${k} = dA${k} ⊙ g'(Z${k})`, net.hidden[k - 1], { dA: dA[k], Z: Z[k], dZ: dZ[k] }));
      }
    }
    return new BackwardPass(dZ, dA, await Promise.all(steps));
  }

  /** dZ[l] and, with plain products, dA[l] by name (dZ1, dA1, …). */
  get tensors(): Record<string, Tensor> {
    const named: Record<string, Tensor> = {};
    for (let l = 1; l < this.dZ.length; l++) named[`dZ${l}`] = this.dZ[l];
    for (let l = 1; l < this.dA.length - 1; l++) named[`dA${l}`] = this.dA[l];
    return named;
  }
}
