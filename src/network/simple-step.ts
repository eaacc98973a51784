// The simple step: the kernels of the notes, one dispatch per equation, for every
// configuration the trainer supports (any depth, head, optimizer, L2, mini-batches,
// data in chunks). It reads like the notes (style point 6) and is the tested twin
// of every fast variant.
import {
  batchIndicesKernel,
  gatherColumnsKernel,
  l2GradientKernel,
  tickKernel,
  updateKernel,
  type Dispatch,
  type Matmul,
} from '../gpu/kernels.ts';
import { U32 } from '../gpu/constants.ts';
import { storageUsage, type Tensor } from '../gpu/tensor.ts';
import { labelRows } from '../types.ts';
import { batchesPerEpoch } from '../training/shuffle.ts';
import { BackwardPass } from './backward-pass.ts';
import { chunksCost, ForwardPass, newTensor } from './forward-pass.ts';
import type { StepContext, StepProgram } from './step-types.ts';

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
  const suffix = `batch of ${count}`;
  const index: Tensor = { label: `index (${suffix})`, buffer: owner.buffer(`index (${suffix})`, count * U32, storageUsage()), offset: 0, rows: 1, cols: count };
  const Xb = newTensor(owner, `X (${suffix})`, X.rows, count);
  const Yb = newTensor(owner, `Y (${suffix})`, labelRows(net), count);
  const gather = Promise.all([
    batchIndicesKernel(owner, `examples of the ${suffix}`, { clock: ctx.clock, index }, { count, m, B: size, nb: batchesPerEpoch(m, size), seed }),
    gatherColumnsKernel(owner, `X columns (${suffix})`, { src: X, index, out: Xb }),
    gatherColumnsKernel(owner, `Y columns (${suffix})`, { src: Y, index, out: Yb }),
  ]);
  const forward = await ForwardPass.create(owner, net, ctx.params, Xb, Yb, { status: ctx.status, metrics: ctx.metrics, l2: ctx.l2, matmul });
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
  // passes[0] for full steps (one pass per chunk) or batches of B; passes[1] for the last, smaller batch.
  let programs: Pass[][];
  let isLast = (_t: number) => false;
  if (ctx.batch) {
    const { size, seed } = ctx.batch;
    const nb = batchesPerEpoch(m, size);
    const last = m - (nb - 1) * size;
    programs = [[await batchPass(ctx, size, size, seed, matmul)]];
    if (last !== size) {
      programs.push([await batchPass(ctx, last, size, seed, matmul)]);
      isLast = (t) => t % nb === nb - 1;
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
  const l2 = ctx.l2 && ctx.l2.lambda > 0
    ? await l2GradientKernel(owner, 'dW += (λ/m)·W', { P: ctx.l2.P, mask: ctx.l2.mask, dP: ctx.dP }, ctx.l2.lambda / ctx.l2.m)
    : null;
  const update = await updateKernel(owner, `update (${optimizer.kind})`, optimizer, { P: ctx.P, dP: ctx.dP, status: ctx.status, clock: ctx.clock }, ctx.paramCount, ctx.learningRate);
  // The clock counts updates for the batch order and Adam's bias correction; the seed's step needs none.
  const tick = ctx.batch || optimizer.kind === 'adam' ? await tickKernel(owner, 'clock += 1', { clock: ctx.clock }) : null;
  const first = programs[0][0];
  return {
    name: matmul === 'plain' ? 'simple' : matmul,
    // Those of one step, each once: the batch's gather, forward, backward, L2, update, clock.
    kernels: [...new Set([
      ...first.gather.map((d) => d.kernel), ...first.forward.kernels, ...first.backward.kernels,
      ...[l2, update.dispatch, tick].flatMap((d) => (d ? [d.kernel] : [])),
    ])],
    record(pass, withCost, t) {
      for (const { gather, forward, backward } of programs[isLast(t) ? 1 : 0]) {
        // The batch: its examples' indices, then their columns of X and Y.
        for (const d of gather) d.record(pass);
        // Forward propagation: Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l]); A[L] by the head
        forward.record(pass);
        if (withCost) forward.recordCost(pass);
        // Backward propagation: dZ[L] = A[L] − Y, dW[l], db[l], dZ[l−1] = W[l]ᵀ·dZ[l] ⊙ g'(Z[l−1])
        backward.record(pass);
      }
      // L2: dW[l] += (λ/m)·W[l]
      l2?.record(pass);
      // Update: every W[l], b[l] at once, by the optimizer's rule
      update.dispatch.record(pass);
      tick?.record(pass);
    },
    // J and the metric on the whole set: the chunks' forward passes (built with these products).
    recordCost: chunksCost(ctx.chunks.map((c) => c.forward)),
    setLearningRate: update.setLearningRate,
    // Kept for readTensor: the simple step leaves every intermediate in place.
    backward: programs[0][0].backward,
    forward: programs[0][0].forward,
  } as StepProgram & { backward: BackwardPass; forward: ForwardPass };
}
