// All parameters live in one buffer, [W1, b1, W2, b2, ...], so that one dispatch
// updates them all; the gradients live in a second buffer with the same layout.
// Each tensor starts at a multiple of minStorageBufferOffsetAlignment (256 bytes)
// so that it can be bound on its own.
import type { Parameters } from '../types.ts';
import { F32 } from './constants.ts';
import type { Tensor } from './tensor.ts';

export interface Slot {
  /** Offset in floats. */
  offset: number;
  rows: number;
  cols: number;
}

export interface ParamLayout {
  sizes: number[];
  /** W[l], b[l] for l = 1..L; index 0 unused. */
  W: Slot[];
  b: Slot[];
  /** Length of the whole buffer in floats. */
  length: number;
}

export function layoutParameters(sizes: number[], alignBytes: number): ParamLayout {
  const align = alignBytes / F32;
  const W: Slot[] = [{ offset: 0, rows: 0, cols: 0 }];
  const b: Slot[] = [{ offset: 0, rows: 0, cols: 0 }];
  let offset = 0;
  const place = (rows: number, cols: number): Slot => {
    const slot = { offset, rows, cols };
    offset = Math.ceil((offset + rows * cols) / align) * align;
    return slot;
  };
  for (let l = 1; l < sizes.length; l++) {
    W.push(place(sizes[l], sizes[l - 1])); // W[l] is (n_l, n_{l-1})
    b.push(place(sizes[l], 1)); //            b[l] is (n_l, 1)
  }
  return { sizes, W, b, length: offset };
}

export function packParameters(layout: ParamLayout, params: Parameters): Float32Array {
  const data = new Float32Array(layout.length);
  for (let l = 1; l < layout.sizes.length; l++) {
    data.set(params.W[l], layout.W[l].offset);
    data.set(params.b[l], layout.b[l].offset);
  }
  return data;
}

export function unpackParameters(layout: ParamLayout, data: Float32Array): Parameters {
  const W = [new Float64Array(0)];
  const b = [new Float64Array(0)];
  for (let l = 1; l < layout.sizes.length; l++) {
    const w = layout.W[l];
    const bias = layout.b[l];
    W.push(Float64Array.from(data.subarray(w.offset, w.offset + w.rows * w.cols)));
    b.push(Float64Array.from(data.subarray(bias.offset, bias.offset + bias.rows)));
  }
  return { sizes: [...layout.sizes], W, b };
}

/** Views of each W[l] and b[l] inside one buffer laid out by `layout` (index 0 unused). */
export function layerViews(layout: ParamLayout, buffer: GPUBuffer, prefix = ''): { W: Tensor[]; b: Tensor[] } {
  const view = (name: string, slots: Slot[]): Tensor[] =>
    slots.map((s, l) => ({ label: `${prefix}${name}${l}`, buffer, offset: s.offset * F32, rows: s.rows, cols: s.cols }));
  return { W: view('W', layout.W), b: view('b', layout.b) };
}

/** 1 on the entries of every W[l], 0 on biases and padding: where L2 applies. */
export function weightMask(layout: ParamLayout): Float32Array {
  const mask = new Float32Array(layout.length);
  for (let l = 1; l < layout.sizes.length; l++) mask.fill(1, layout.W[l].offset, layout.W[l].offset + layout.W[l].rows * layout.W[l].cols);
  return mask;
}
