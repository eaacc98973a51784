// Data larger than one storage binding is split into chunks of examples (column
// blocks of X and Y). Each chunk gets its own buffers; within a gradient step
// every chunk runs forward and backward, the gradient and cost kernels add the
// chunks' parts (scaled by 1/m of the whole set), and one update follows.
import { F32 } from '../gpu/constants.ts';
import { InputError } from '../errors.ts';

/** The most bytes one (n, m) matrix may take on this device. */
export function bindingLimit(device: GPUDevice, override?: number): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  return override !== undefined ? Math.min(limit, override) : limit;
}

/**
 * Examples per chunk so that the widest per-example matrix (n_max, chunk) fits
 * `maxBytes`. Throws when the parameters themselves cannot fit.
 */
export function chunkSize(sizes: number[], m: number, maxBytes: number): number {
  for (let l = 1; l < sizes.length; l++) {
    const bytes = sizes[l] * sizes[l - 1] * F32;
    if (bytes > maxBytes) {
      throw new InputError('sizes', `layers whose W fits one storage binding (${maxBytes} bytes on this device)`,
        sizes, `W${l} is (${sizes[l]}, ${sizes[l - 1]}): ${bytes} bytes`);
    }
  }
  const perExample = Math.max(...sizes) * F32;
  if (perExample > maxBytes) {
    throw new InputError('sizes', `layers of at most ${Math.floor(maxBytes / F32)} units on this device`, sizes);
  }
  return Math.min(m, Math.floor(maxBytes / perExample));
}

export interface Chunk {
  /** First example (column) of this chunk in the whole set. */
  start: number;
  m: number;
  /** (rows, m) blocks of X and Y. */
  X: Float32Array;
  Y: Float32Array;
}

/** Column blocks [start, start + size) of X (n0, m) and Y (yRows, m). */
export function splitColumns(X: Float32Array, Y: Float32Array, n0: number, m: number, size: number, yRows = 1): Chunk[] {
  if (size >= m) return [{ start: 0, m, X, Y }];
  const columns = (M: Float32Array, rows: number, start: number, mc: number): Float32Array => {
    const out = new Float32Array(rows * mc);
    for (let i = 0; i < rows; i++) out.set(M.subarray(i * m + start, i * m + start + mc), i * mc);
    return out;
  };
  const chunks: Chunk[] = [];
  for (let start = 0; start < m; start += size) {
    const mc = Math.min(size, m - start);
    chunks.push({ start, m: mc, X: columns(X, n0, start, mc), Y: columns(Y, yRows, start, mc) });
  }
  return chunks;
}
