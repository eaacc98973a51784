// Owns GPU buffers so that one destroy() frees all of them (style point 7).
import { F32 } from './constants.ts';

export class Owner {
  private readonly buffers = new Set<GPUBuffer>();
  /** Buffers held by all owners in this page: a leak shows up as growth here. */
  static live = 0;

  constructor(readonly device: GPUDevice) {}

  buffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(size, F32), usage });
    this.track(buffer);
    return buffer;
  }

  /** A buffer created with its contents (float32 or uint32 words). */
  bufferWith(label: string, data: Float32Array | Uint32Array, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = Math.max(Math.ceil(data.byteLength / F32) * F32, F32);
    const buffer = this.device.createBuffer({ label, size, usage, mappedAtCreation: true });
    const Ctor = data instanceof Float32Array ? Float32Array : Uint32Array;
    new Ctor(buffer.getMappedRange()).set(data);
    buffer.unmap();
    this.track(buffer);
    return buffer;
  }

  private track(buffer: GPUBuffer): void {
    this.buffers.add(buffer);
    Owner.live++;
  }

  release(buffer: GPUBuffer): void {
    if (this.buffers.delete(buffer)) {
      buffer.destroy();
      Owner.live--;
    }
  }

  get liveBuffers(): number {
    return this.buffers.size;
  }

  destroy(): void {
    for (const buffer of this.buffers) buffer.destroy();
    Owner.live -= this.buffers.size;
    this.buffers.clear();
  }
}
