// What bounds a small step on this adapter: the cost of an empty dispatch in a
// pass, of a command buffer in a multi-buffer submit, of a submit, and of a
// round trip; and a given step program recorded in those arrangements.
import type { Gpu } from '../src/gpu/device.ts';

const EMPTY = '@compute @workgroup_size(1) fn main() {}';

export interface Probe {
  /** µs per dispatch, 256 dispatches of an empty kernel in one pass. */
  dispatchInPass: number;
  /** µs per command buffer (one pass, one empty dispatch each), 64 per submit. */
  commandBuffer: number;
  /** µs per submit of one such command buffer. */
  submit: number;
  /** µs for submit + onSubmittedWorkDone of an empty command buffer. */
  roundTrip: number;
}

async function time(device: GPUDevice, n: number, run: () => void): Promise<number> {
  run();
  await device.queue.onSubmittedWorkDone();
  const t0 = performance.now();
  run();
  await device.queue.onSubmittedWorkDone();
  return ((performance.now() - t0) * 1000) / n;
}

/** Times `record` (one step into a pass) 64× in one pass, and 64 command buffers in one submit. */
export async function probeRecord(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void) {
  const inOnePass = await time(device, 64, () => {
    const e = device.createCommandEncoder();
    const p = e.beginComputePass();
    for (let i = 0; i < 64; i++) record(p);
    p.end();
    device.queue.submit([e.finish()]);
  });
  const buffers = await time(device, 64, () => {
    const list: GPUCommandBuffer[] = [];
    for (let i = 0; i < 64; i++) {
      const e = device.createCommandEncoder();
      const p = e.beginComputePass();
      record(p);
      p.end();
      list.push(e.finish());
    }
    device.queue.submit(list);
  });
  return { inOnePass, commandBuffers: buffers };
}

export async function probe({ device }: Gpu): Promise<Probe> {
  const module = device.createShaderModule({ code: EMPTY });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const dispatch = (p: GPUComputePassEncoder) => {
    p.setPipeline(pipeline);
    p.dispatchWorkgroups(1);
  };
  const dispatchInPass = await time(device, 256, () => {
    const e = device.createCommandEncoder();
    const p = e.beginComputePass();
    for (let i = 0; i < 256; i++) dispatch(p);
    p.end();
    device.queue.submit([e.finish()]);
  });
  const { commandBuffers } = await probeRecord(device, dispatch);
  const submit = await time(device, 64, () => {
    for (let i = 0; i < 64; i++) {
      const e = device.createCommandEncoder();
      const p = e.beginComputePass();
      dispatch(p);
      p.end();
      device.queue.submit([e.finish()]);
    }
  });
  let roundTrip = Infinity;
  for (let i = 0; i < 5; i++) roundTrip = Math.min(roundTrip, await time(device, 1, () => device.queue.submit([device.createCommandEncoder().finish()])));
  return { dispatchInPass, commandBuffer: commandBuffers, submit, roundTrip };
}
