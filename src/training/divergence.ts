// Going back after a divergence. Every step flags a non-finite Z or updated
// parameter in status[0]; the trainer reads it once per window. When window k
// is flagged, P is restored from the snapshot taken at its start (intact: only
// window k + 1 has run since, writing another slot) and the window is replayed
// one checked step at a time to find the first bad step. P holds the optimizer's
// state too, and the clock (the batch order, Adam's t) is set to match.
import { F32 } from '../gpu/constants.ts';
import { recordStep } from '../gpu/program.ts';
import { WindowStaging } from '../gpu/readback.ts';
import { checkedWrite } from '../gpu/scopes.ts';
import type { Tensor } from '../gpu/tensor.ts';
import type { TrainerBuffers } from './build.ts';

/** One small encoder of buffer copies (snapshots, and the status word); not a step. */
export function recordCopies(device: GPUDevice, b: TrainerBuffers, label: string, copies: [Tensor, Tensor][], statusTo?: GPUBuffer): void {
  const encoder = device.createCommandEncoder({ label });
  for (const [from, to] of copies) encoder.copyBufferToBuffer(from.buffer, from.offset, to.buffer, to.offset, from.rows * from.cols * F32);
  if (statusTo) encoder.copyBufferToBuffer(b.status.buffer, 0, statusTo, 0, F32);
  device.queue.submit([encoder.finish({ label })]);
}

export interface Divergence {
  /** The first step whose cost or update is not finite. */
  step: number;
  /** Steps behind the parameters now in P: the last finite ones with a finite cost. */
  kept: number;
  cause: string;
}

/**
 * Replays window `window` (which began at `firstStep`) and leaves in P the last
 * parameters that are finite and have a finite cost, with status cleared.
 */
export async function replayDivergence(device: GPUDevice, b: TrainerBuffers, window: number, firstStep: number): Promise<Divergence> {
  const zero = new Uint32Array([0]);
  const write = (t: Tensor, data: Uint32Array<ArrayBuffer>, during: string) => checkedWrite(device, during, () => device.queue.writeBuffer(t.buffer, t.offset, data));
  const setClock = (step: number) => write(b.clock, new Uint32Array([b.clockStart + step]), 'setting the clock for the replay');
  recordCopies(device, b, 'restore', [[b.snapshots[window % 3], b.P]]);
  await setClock(firstStep);
  await write(b.status, zero, 'clearing the status word');
  // The two other snapshots hold P before the current and the previous replayed step.
  let [current, previous] = [b.snapshots[(window + 1) % 3], b.snapshots[(window + 2) % 3]];
  let havePrevious = false;
  let step = firstStep;
  let costFinite: boolean;
  for (;; step++) {
    const encoder = device.createCommandEncoder({ label: `replay step ${step}` });
    encoder.copyBufferToBuffer(b.P.buffer, 0, current.buffer, 0, b.P.rows * F32);
    const pass = encoder.beginComputePass();
    recordStep(pass, b.step, true, b.clockStart + step);
    pass.end();
    const staging = b.staging.take();
    encoder.copyBufferToBuffer(b.status.buffer, 0, staging, 0, F32);
    encoder.copyBufferToBuffer(b.metrics.buffer, 0, staging, WindowStaging.slotOffset(0), WindowStaging.SLOT);
    device.queue.submit([encoder.finish()]);
    const { status, metrics } = await b.staging.read(staging, 1);
    costFinite = Number.isFinite(metrics[0].cost);
    if (status !== 0 || !costFinite) break;
    [current, previous] = [previous, current];
    havePrevious = true;
  }
  // A finite cost at step s means P before step s is good; otherwise go one further back.
  const back = !costFinite && havePrevious;
  recordCopies(device, b, 'keep the last finite parameters', [[back ? previous : current, b.P]]);
  await write(b.status, zero, 'clearing the status word');
  const kept = back ? step - 1 : step;
  await setClock(kept);
  const cause = costFinite ? 'the update made a parameter non-finite' : 'the cost became non-finite';
  return { step, kept, cause };
}
