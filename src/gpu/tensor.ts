// A matrix living in (a range of) a GPU buffer: (rows, cols), row-major, float32.
import { F32 } from './constants.ts';

export interface Tensor {
  label: string;
  buffer: GPUBuffer;
  /** Byte offset; a multiple of minStorageBufferOffsetAlignment when bound. */
  offset: number;
  rows: number;
  cols: number;
}

export const tensorBytes = (t: Tensor): number => t.rows * t.cols * F32;

export const binding = (t: Tensor): GPUBufferBinding => ({
  buffer: t.buffer,
  offset: t.offset,
  size: tensorBytes(t),
});

/** Usage of every tensor buffer: bound as storage, and copied in and out. */
export const storageUsage = (): GPUBufferUsageFlags =>
  GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
