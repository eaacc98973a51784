// Copies GPU data back to JavaScript. Used rarely: metrics once per window of
// steps, parameters when exported, predictions when asked.
import { F32 } from './constants.ts';
import { tensorBytes, type Tensor } from './tensor.ts';

/** Reads a tensor through a temporary staging buffer (one small submit). */
export async function readTensor(device: GPUDevice, t: Tensor): Promise<Float32Array> {
  const size = tensorBytes(t);
  const staging = device.createBuffer({
    label: `${t.label}.readback`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    const encoder = device.createCommandEncoder({ label: `read ${t.label}` });
    encoder.copyBufferToBuffer(t.buffer, t.offset, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

/**
 * Staging buffers for the metrics logged during one window of steps. Each logged
 * step copies its [J, accuracy] into the window's buffer inside the step's own
 * encoder; the buffer is mapped once, after the window's last submit.
 */
export class MetricsStaging {
  private readonly free: GPUBuffer[] = [];
  private readonly all: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    /** Most logged steps in one window. */
    readonly slots: number,
  ) {}

  /** Bytes per slot: cost and accuracy. */
  static readonly SLOT = 2 * F32;

  take(): GPUBuffer {
    const buffer =
      this.free.pop() ??
      this.device.createBuffer({
        label: 'metrics.staging',
        size: this.slots * MetricsStaging.SLOT,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    if (!this.all.includes(buffer)) this.all.push(buffer);
    return buffer;
  }

  /** Maps the buffer, returns its first `count` slots, and gives it back to the pool. */
  async read(buffer: GPUBuffer, count: number): Promise<{ cost: number; accuracy: number }[]> {
    await buffer.mapAsync(GPUMapMode.READ, 0, count * MetricsStaging.SLOT);
    const words = new Float32Array(buffer.getMappedRange(0, count * MetricsStaging.SLOT).slice(0));
    buffer.unmap();
    this.free.push(buffer);
    const out = [];
    for (let i = 0; i < count; i++) out.push({ cost: words[2 * i], accuracy: words[2 * i + 1] });
    return out;
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.length = 0;
    this.free.length = 0;
  }
}
