// Per-kernel GPU time of a recorded step, from timestamp queries. A step records
// into one compute pass; here each of its dispatches is replayed in a pass of its
// own with timestampWrites, so any step variant can be profiled unchanged. Splitting
// passes adds a little overhead per kernel: read the shares, not the sum.
import { GpuUnavailableError } from '../errors.ts';

export interface KernelTime {
  /** The pipeline's label: the kernel and its variant. */
  kernel: string;
  /** Median GPU time of one dispatch, in microseconds. */
  microseconds: number;
}

interface Recorded {
  pipeline: GPUComputePipeline;
  groups: Map<number, GPUBindGroup | null>;
  grid: [number, number, number];
}

/** Collects what `record` asks of a compute pass instead of encoding it. */
function recordDispatches(record: (pass: GPUComputePassEncoder) => void): Recorded[] {
  const out: Recorded[] = [];
  let pipeline: GPUComputePipeline | null = null;
  const groups = new Map<number, GPUBindGroup | null>();
  const pass = {
    setPipeline: (p: GPUComputePipeline) => void (pipeline = p),
    setBindGroup: (i: number, g: GPUBindGroup | null) => void groups.set(i, g),
    dispatchWorkgroups: (x: number, y = 1, z = 1) => out.push({ pipeline: pipeline!, groups: new Map(groups), grid: [x, y, z] }),
    end: () => undefined,
  };
  record(pass as unknown as GPUComputePassEncoder);
  return out;
}

/**
 * Runs `record`'s dispatches `repeats` times, each in its own timed pass, and
 * returns the median time per kernel (dispatches with the same label add up).
 * The dispatches really run: profiling a gradient step takes `repeats` steps.
 */
export async function profileDispatches(
  device: GPUDevice,
  record: (pass: GPUComputePassEncoder) => void,
  repeats = 7,
): Promise<KernelTime[]> {
  if (!device.features.has('timestamp-query')) {
    throw new GpuUnavailableError('profiling needs the timestamp-query feature, which this device lacks');
  }
  const dispatches = recordDispatches(record);
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
        const pass = encoder.beginComputePass({ label: d.pipeline.label, timestampWrites });
        pass.setPipeline(d.pipeline);
        for (const [index, group] of d.groups) pass.setBindGroup(index, group);
        pass.dispatchWorkgroups(...d.grid);
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
    // Drop a variant's shape constants: "fused_step(tanh, one, {…})" → "fused_step(tanh, one)".
    const kernel = d.pipeline.label.replace(/, \{.*\}\)$/, ')');
    byKernel.set(kernel, (byKernel.get(kernel) ?? 0) + median(samples[i]));
  });
  return [...byKernel].map(([kernel, microseconds]) => ({ kernel, microseconds }));
}
