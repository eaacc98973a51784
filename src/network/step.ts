// A gradient step as a program recorded into a compute pass. The trainer only
// knows this interface; which implementation runs is chosen here, by shape and
// device, so faster variants can be added without touching the trainer. Every
// variant keeps the simple one as its tested twin (style point 13).
import { sgdUpdateKernel } from '../gpu/kernels.ts';
import type { Owner } from '../gpu/owner.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { Activation } from '../types.ts';
import { BackwardPass, type GradientTensors } from './backward-pass.ts';
import type { ForwardPass, ParameterTensors } from './forward-pass.ts';

export interface StepContext {
  owner: Owner;
  sizes: number[];
  activation: Activation;
  learningRate: number;
  /** All parameters [W1, b1, W2, b2, …] in one buffer, and views of each. */
  P: Tensor;
  params: ParameterTensors;
  /** All gradients, laid out like P, and views of each. */
  dP: Tensor;
  grads: GradientTensors;
  X: Tensor;
  Y: Tensor;
  /** The forward pass over the training data; its `metrics` receive [J, accuracy]. */
  forward: ForwardPass;
  /** status[0] is set to 1 by any step whose updated parameters are not all finite. */
  status: Tensor;
}

export interface StepProgram {
  /** Which implementation this is, e.g. "simple". */
  readonly name: string;
  /**
   * Records one whole gradient step: forward propagation; when `withCost`, J and
   * the accuracy of the parameters before the update into forward.metrics;
   * backpropagation; the update P ← P − α·dP, flagging non-finite results in status.
   */
  record(pass: GPUComputePassEncoder, withCost: boolean): void;
  setLearningRate(alpha: number): void;
}

export type StepVariant = 'auto' | 'simple';

/** The kernels of the notes, one dispatch per equation. */
export async function simpleStep(ctx: StepContext): Promise<StepProgram> {
  const { owner, sizes, activation, params, grads, forward, Y } = ctx;
  const backward = await BackwardPass.create(owner, sizes, activation, params, grads, forward, Y);
  const update = await sgdUpdateKernel(owner, 'update P ← P − α·dP', { P: ctx.P, dP: ctx.dP, status: ctx.status }, ctx.learningRate);
  return {
    name: 'simple',
    record(pass, withCost) {
      // Forward propagation: Z1 = W1·X + b1, A1 = g(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2)
      forward.record(pass);
      if (withCost) forward.recordCost(pass);
      // Backward propagation: dZ2 = A2 − Y, dW2, db2, dZ1 = W2ᵀ·dZ2 ⊙ g'(Z1), dW1, db1
      backward.record(pass);
      // Update: P ← P − α·dP for W1, b1, W2, b2 at once
      update.dispatch.record(pass);
    },
    setLearningRate: update.setLearningRate,
    // Kept for readTensor: the simple step leaves every intermediate in place.
    backward,
  } as StepProgram & { backward: BackwardPass };
}

/** Picks the step implementation for this shape and device. */
export async function buildStep(ctx: StepContext, variant: StepVariant = 'auto'): Promise<StepProgram> {
  switch (variant) {
    case 'simple':
    case 'auto':
      return simpleStep(ctx);
  }
}
