// Typed errors. Bad input is an InputError thrown before any GPU work; GPU faults
// are GpuError subclasses so callers can tell "fix your arguments" from "the
// device went away".

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as Float32Array).length}`;
  return Object.prototype.toString.call(v);
};

/** A bad argument: names the argument, the expected value and the actual one. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly actual: unknown,
    detail = '',
  ) {
    super(`${argument}: expected ${expected}, got ${show(actual)}${detail ? ` (${detail})` : ''}`);
  }
}

/** A malformed file; names the file and the line (1-based) where it goes wrong. */
export class FileFormatError extends Error {
  override name = 'FileFormatError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ''}: ${reason}`);
  }
}

/** Base of every error that comes from the GPU or the WebGPU API. */
export class GpuError extends Error {
  override name = 'GpuError';
}

/** No navigator.gpu, no adapter, or requestDevice failed. */
export class GpuUnavailableError extends GpuError {
  override name = 'GpuUnavailableError';
}

/** A WGSL kernel failed to compile; message carries kernel, line, column. */
export class ShaderCompileError extends GpuError {
  override name = 'ShaderCompileError';
  constructor(
    readonly kernel: string,
    readonly messages: { line: number; column: number; message: string }[],
  ) {
    super(
      `WGSL kernel "${kernel}" failed to compile: ` +
        messages.map((m) => `${kernel}:${m.line}:${m.column}: ${m.message}`).join('; '),
    );
  }
}

/** A validation error reported through an error scope. */
export class GpuValidationError extends GpuError {
  override name = 'GpuValidationError';
}

/** The device ran out of memory while creating buffers or running a step. */
export class GpuOutOfMemoryError extends GpuError {
  override name = 'GpuOutOfMemoryError';
}

/** The device was lost (destroyed, driver reset, tab backgrounded too long). */
export class DeviceLostError extends GpuError {
  override name = 'DeviceLostError';
  constructor(
    message: string,
    readonly reason: string = 'unknown',
  ) {
    super(message);
  }
}

/** Training produced a non-finite cost or parameter. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

/** The trainer was used after destroy(), or while another training call runs. */
export class TrainerStateError extends Error {
  override name = 'TrainerStateError';
}
