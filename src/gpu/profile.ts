// Per-kernel GPU time of a step program's dispatches, from timestamp queries. A step
// records into one compute pass; here each of its dispatches runs in a pass of its
// own with timestampWrites, so any step variant can be profiled unchanged. Splitting
// passes adds a little overhead per kernel: read the shares, not the sum.
import { GpuUnavailableError } from '../errors.ts';
import { recordDispatches, type Dispatch } from './program.ts';

export interface KernelTime {
  /** The pipeline's label: the kernel and its variant. */
  kernel: string;
  /** Median GPU time of one dispatch, in microseconds. */
  microseconds: number;
}

/**
 * Runs the dispatches `repeats` times, each in its own timed pass, and returns the
 * median time per kernel (dispatches of the same kernel add up). The dispatches
 * really run: profiling a gradient step takes `repeats` steps.
 */
export async function profileDispatches(device: GPUDevice, dispatches: readonly Dispatch[], repeats = 7): Promise<KernelTime[]> {
  if (!device.features.has('timestamp-query')) {
    throw new GpuUnavailableError('profiling needs the timestamp-query feature, which this device lacks');
  }
  const n = dispatches.length;
  const querySet = device.createQuerySet({ label: 'profile', type: 'timestamp', count: 2 * n });
  const resolved = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const samples: number[][] = dispatches.map(() => []);
  try {
    for (let r = 0; r < repeats; r++) {
      const encoder = device.createCommandEncoder({ label: 'profile' });
      dispatches.forEach((d, i) => {
        const timestampWrites = { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
        const pass = encoder.beginComputePass({ label: d.kernel, timestampWrites });
        recordDispatches(pass, [d], d.when === 'cost');
        pass.end();
      });
      encoder.resolveQuerySet(querySet, 0, 2 * n, resolved, 0);
      encoder.copyBufferToBuffer(resolved, 0, staging, 0, 16 * n);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const t = new BigUint64Array(staging.getMappedRange().slice(0));
      staging.unmap();
      dispatches.forEach((_, i) => samples[i].push(Number(t[2 * i + 1] - t[2 * i]) / 1000));
    }
  } finally {
    querySet.destroy();
    resolved.destroy();
    staging.destroy();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const byKernel = new Map<string, number>();
  dispatches.forEach((d, i) => {
    byKernel.set(d.kernel, (byKernel.get(d.kernel) ?? 0) + median(samples[i]));
  });
  return [...byKernel].map(([kernel, microseconds]) => ({ kernel, microseconds }));
}
