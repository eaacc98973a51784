// The one GPU buffer counter of the soaks (cli/soak-page.ts, cli/soak-playground.ts)
// and the reliability tests (e2e/reliability-harness.ts): every buffer any device
// creates and does not destroy, by device. installBufferCounter is self-contained (no
// imports, no closure) so that a test can also inject it into a page before the
// page's own scripts run (Playwright's addInitScript); the library's own count of what
// its owners hold is Owner.live (src/gpu/owner.ts), which the soaks report beside it.

/** What installBufferCounter leaves on globalThis. */
export interface BufferCounter {
  /** Buffers created on `device` (every device when none is given) and not destroyed. */
  live(device?: GPUDevice): number;
  /** Forgets the buffers of devices other than `device` (a lost device's went with it). */
  keepOnly(device: GPUDevice): void;
}

/** Wraps (not replaces) GPUDevice.createBuffer and GPUBuffer.destroy, once per realm. */
export function installBufferCounter(): void {
  const g = globalThis as unknown as { gpuBufferCounter?: unknown };
  if (g.gpuBufferCounter || typeof GPUDevice === 'undefined') return;
  const alive = new Map<GPUBuffer, GPUDevice>();
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const buffer = create.call(this, descriptor);
    alive.set(buffer, this);
    return buffer;
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    alive.delete(this);
    return destroy.call(this);
  };
  g.gpuBufferCounter = {
    live(device?: GPUDevice): number {
      let n = 0;
      for (const owner of alive.values()) if (!device || owner === device) n++;
      return n;
    },
    keepOnly(device: GPUDevice): void {
      for (const [buffer, owner] of alive) if (owner !== device) alive.delete(buffer);
    },
  };
}

/** The counter installBufferCounter made (installing it if needed). */
export function bufferCounter(): BufferCounter {
  installBufferCounter();
  const counter = (globalThis as unknown as { gpuBufferCounter?: BufferCounter }).gpuBufferCounter;
  if (!counter) throw new Error('no WebGPU here (GPUDevice is undefined): nothing to count');
  return counter;
}
