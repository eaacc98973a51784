// Error scopes as one call: open() pushes a validation and an out-of-memory
// scope; the function it returns pops both at once (call it right after the
// GPU calls it guards, before any await, so nothing else lands in the scopes)
// and gives a promise that rejects with a typed error if either caught one.
import { GpuError, GpuOutOfMemoryError, GpuValidationError } from '../errors.ts';

export type CloseScopes = (during: string) => Promise<void>;

export function openScopes(device: GPUDevice): CloseScopes {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  return (during) => {
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    return (async () => {
      const [v, o] = await Promise.all([validation, oom]);
      if (o) throw new GpuOutOfMemoryError(`out of GPU memory while ${during}: ${o.message}`);
      if (v) throw new GpuValidationError(`WebGPU validation error while ${during}: ${v.message}`);
    })();
  };
}

/** Any failure of a GPU call as a GpuError (a rejected mapAsync is a bare DOMException). */
export function asGpuError(error: unknown, during: string): Error {
  if (error instanceof GpuError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new GpuError(`${during} failed: ${message}`);
}

/**
 * A queue write in error scopes of its own: a write that fails (to a destroyed
 * buffer, out of range) rejects with a typed error instead of reaching the
 * device's uncaptured errors.
 */
export function checkedWrite(device: GPUDevice, during: string, write: () => void): Promise<void> {
  const close = openScopes(device);
  write();
  return close(during);
}
