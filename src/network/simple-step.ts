// The simple step: the kernels of the notes, one dispatch per equation, for every
// configuration the trainer supports (any depth, head, optimizer, L2, mini-batches,
// data in chunks). It reads like the notes (style point 6) and is the tested twin
// of every fast variant.
import {
  batchIndicesKernel,
  gatherColumnsKernel,
  penaltyGradientKernel,
  tickKernel,
  updateKernel,
  type Matmul,
} from '../gpu/kernels.ts';
import type { Dispatch } from '../gpu/program.ts';
import { U32 } from '../gpu/constants.ts';
import { storageUsage, type Tensor } from '../gpu/tensor.ts';
import { labelRows } from '../types.ts';
import { batchesPerEpoch } from '../training/shuffle.ts';
import { BackwardPass } from './backward-pass.ts';
import { chunksCostPass, ForwardPass, newTensor } from './forward-pass.ts';
import type { StepContext, StepProgram } from './step-types.ts';

/** The update as the notes write it: all layers' W and b at once (P holds them all; v and s follow them). */
const UPDATE_LABELS = {
  sgd: 'W, b ← W, b − α·(dW, db), every layer at once',
  momentum: 'v ← β·v + (1 − β)·dP; W, b ← W, b − α·v, every layer at once',
  adam: 'v, s ← Adam\'s moments of dP; W, b ← W, b − α·v̂/(√ŝ + ε), every layer at once',
} as const;

interface Pass {
  /** Mini-batches: the batch's example indices, then its X and Y columns. */
  gather: Dispatch[];
  forward: ForwardPass;
  backward: BackwardPass;
}

/** A mini-batch program for batches of `count` examples: its own X, Y and activations. */
async function batchPass(ctx: StepContext, count: number, size: number, seed: number, matmul: Matmul): Promise<Pass> {
  const { owner, net, X, Y } = ctx;
  const m = X.cols;
  const index: Tensor = { label: 'index of the batch', buffer: owner.buffer(`index of a batch of ${count}`, count * U32, storageUsage()), offset: 0, rows: 1, cols: count };
  const Xb = newTensor(owner, 'X of the batch', X.rows, count);
  const Yb = newTensor(owner, 'Y of the batch', labelRows(net), count);
  const gather = Promise.all([
    batchIndicesKernel(owner, `the ${count} examples of step t's batch`, { clock: ctx.clock, index }, { count, m, B: size, nb: batchesPerEpoch(m, size), seed }),
    gatherColumnsKernel(owner, `their columns of X`, { src: X, index, out: Xb }),
    gatherColumnsKernel(owner, `their columns of Y`, { src: Y, index, out: Yb }),
  ]);
  const forward = await ForwardPass.create(owner, net, ctx.params, Xb, Yb, { status: ctx.status, metrics: ctx.metrics, penalty: ctx.penalty, matmul });
  const backward = await BackwardPass.create(owner, net, ctx.params, ctx.grads, forward, Yb, undefined, matmul);
  return { gather: await gather, forward, backward };
}

/**
 * The simple step, its products plain (the notes' kernels), register-tiled (the
 * 'tiled' variant for every configuration but the seed's, which has its own fused
 * kernels) or staged in workgroup memory ('shared', for GPUs). The chunks' forward
 * passes use the same products (build.ts makes them so from the descriptor's `matmul`).
 */
export async function simpleStep(ctx: StepContext, matmul: Matmul = 'plain'): Promise<StepProgram> {
  const { owner, net, params, grads, optimizer } = ctx;
  const m = ctx.X.cols;
  // programs[0] for full steps (one pass per chunk) or batches of B; programs[1] for the last, smaller batch.
  let programs: Pass[][];
  if (ctx.batch) {
    const { size, seed } = ctx.batch;
    const nb = batchesPerEpoch(m, size);
    const last = m - (nb - 1) * size;
    programs = [[await batchPass(ctx, size, size, seed, matmul)]];
    if (last !== size) {
      programs.push([await batchPass(ctx, last, size, seed, matmul)]);
    }
  } else {
    programs = [
      await Promise.all(
        ctx.chunks.map(async (c) => ({
          gather: [],
          forward: c.forward,
          backward: await BackwardPass.create(owner, net, params, grads, c.forward, c.Y, c.sum, matmul),
        })),
      ),
    ];
  }
  const p = ctx.penalty;
  const penalty = p && (p.l2 > 0 || p.l1 > 0)
    ? await penaltyGradientKernel(owner, `dW += ${[p.l2 > 0 ? '(λ/m)·W' : '', p.l1 > 0 ? '(λ1/m)·sign(W)' : ''].filter(Boolean).join(' + ')}`, { P: p.P, mask: p.mask, dP: ctx.dP }, { l2: p.l2 / p.m, l1: p.l1 / p.m })
    : null;
  const update = await updateKernel(owner, UPDATE_LABELS[optimizer.kind], optimizer, { P: ctx.P, dP: ctx.dP, status: ctx.status, clock: ctx.clock }, ctx.paramCount, ctx.learningRate);
  // The clock counts updates for the batch order and Adam's bias correction; the seed's step needs none.
  const tick = ctx.batch || optimizer.kind === 'adam' ? await tickKernel(owner, 'clock += 1', { clock: ctx.clock }) : null;
  // One step, in the order of the notes.
  const stepOf = (passes: Pass[]): Dispatch[] => [
    ...passes.flatMap(({ gather, forward, backward }) => [
      // The batch: its examples' indices, then their columns of X and Y.
      ...gather,
      // Forward propagation: Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l]); A[L] by the head
      ...forward.layers,
      // J and the metric (steps that log their cost)
      ...forward.cost,
      // Backward propagation: dZ[L] = A[L] − Y, dW[l], db[l], dZ[l−1] = W[l]ᵀ·dZ[l] ⊙ g'(Z[l−1])
      ...backward.dispatches,
    ]),
    // The penalties: dW[l] += (λ2/m)·W[l] + (λ1/m)·sign(W[l]); the update: every W[l], b[l] at once, by the optimizer's rule; the clock
    ...[penalty, update.dispatch, tick].filter((d): d is Dispatch => d !== null),
  ];
  const [first] = programs[0];
  const costPass = chunksCostPass(ctx.chunks);
  return {
    name: matmul === 'plain' ? 'simple' : matmul,
    step: stepOf(programs[0]),
    lastBatch: programs[1] ? { every: batchesPerEpoch(m, ctx.batch!.size), step: stepOf(programs[1]) } : undefined,
    // J and the metric on the whole set: the chunks' forward passes (built with these products).
    cost: costPass.cost,
    // The whole set's Z and A (the cost pass leaves them), the step's dZ and dA.
    tensors: { ...costPass.tensors, ...first.backward.tensors },
    setLearningRate: update.setLearningRate,
  };
}
