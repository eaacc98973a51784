// Copies GPU data back to JavaScript. Used rarely: metrics once per window of
// steps, parameters when exported, predictions when asked.
import { F32 } from './constants.ts';
import { asGpuError, openScopes } from './scopes.ts';
import { tensorBytes, type Tensor } from './tensor.ts';

/**
 * Reads a tensor through a temporary staging buffer (one small submit). A copy
 * the device rejects (a destroyed source, say) is a GpuValidationError, never
 * the zeros the staging buffer would hold; a rejected mapAsync is a GpuError.
 */
export async function readTensor(device: GPUDevice, t: Tensor): Promise<Float32Array> {
  const size = tensorBytes(t);
  const close = openScopes(device);
  const staging = device.createBuffer({
    label: `${t.label}.readback`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: `read ${t.label}` });
  encoder.copyBufferToBuffer(t.buffer, t.offset, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  const mapped = staging.mapAsync(GPUMapMode.READ);
  const checked = close(`reading ${t.label} back`);
  mapped.catch(() => undefined); // settled below, or abandoned when the check fails
  try {
    await checked;
    await mapped;
    return new Float32Array(staging.getMappedRange().slice(0));
  } catch (error) {
    throw asGpuError(error, `reading ${t.label} back`);
  } finally {
    staging.destroy();
  }
}

/**
 * Staging buffers for one window of steps: word 0 is the divergence status, then
 * a [J, accuracy] slot per logged step. Each logged step copies its metrics in
 * inside its own encoder; the buffer is mapped once, after the window.
 */
export class WindowStaging {
  private readonly free: GPUBuffer[] = [];
  private readonly all = new Set<GPUBuffer>();

  constructor(
    private readonly device: GPUDevice,
    /** Most logged steps in one window. */
    readonly slots: number,
  ) {}

  /** Bytes per metrics slot: cost and accuracy. */
  static readonly SLOT = 2 * F32;
  /** Byte offset of slot i (the status word comes first, padded to a slot). */
  static slotOffset(i: number): number {
    return WindowStaging.SLOT * (i + 1);
  }

  take(): GPUBuffer {
    let buffer = this.free.pop();
    if (!buffer) {
      buffer = this.device.createBuffer({
        label: 'window.staging',
        size: WindowStaging.slotOffset(this.slots),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      this.all.add(buffer);
    }
    return buffer;
  }

  /** Maps the buffer, returns the status and the first `count` slots, and pools it again. */
  async read(buffer: GPUBuffer, count: number): Promise<{ status: number; metrics: { cost: number; accuracy: number }[] }> {
    const size = WindowStaging.slotOffset(count);
    try {
      await buffer.mapAsync(GPUMapMode.READ, 0, size);
    } catch (error) {
      // Not pooled again; destroy() still frees it.
      throw asGpuError(error, 'reading the metrics back');
    }
    const bytes = buffer.getMappedRange(0, size).slice(0);
    buffer.unmap();
    this.free.push(buffer);
    const words = new Float32Array(bytes);
    const metrics = [];
    for (let i = 0; i < count; i++) metrics.push({ cost: words[2 * i + 2], accuracy: words[2 * i + 3] });
    return { status: new Uint32Array(bytes, 0, 1)[0], metrics };
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.free.length = 0;
  }
}
