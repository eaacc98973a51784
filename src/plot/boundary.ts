// The decision boundary of a trained network on 2-D data, drawn the way the
// TensorFlow Playground draws it: the plane tinted blue where the network says
// class 1 and orange where it says class 0, deeper where it is surer, and the
// examples on top. Pure canvas 2D, so the CLI page and the demo share it; the
// network is reached only through `predict`, evaluated on the whole grid at once
// (one GPU round trip, not one per pixel).
import { predictedClasses } from '../model/predict.ts';
import { InputError } from '../errors.ts';
import type { Dataset } from '../types.ts';

export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export type Predict = (X: Float32Array, m: number) => Promise<Float32Array>;

type Rgb = readonly [number, number, number];
/** TensorFlow Playground's colours: class 1 blue, class 0 orange, undecided grey. */
export const CLASS1: Rgb = [8, 119, 189];
export const CLASS0: Rgb = [245, 147, 34];
const NEUTRAL: Rgb = [232, 234, 235];
/** Class k's colour for K classes: orange and blue first (as for two), then green, purple, red, teal. */
export const CLASS_COLORS: readonly Rgb[] = [CLASS0, CLASS1, [44, 160, 44], [148, 103, 189], [214, 39, 40], [23, 190, 207]];
/** Most classes the pictures colour apart. */
export const MAX_CLASSES = CLASS_COLORS.length;
/** How far the background goes from grey to a class colour at full confidence; below 1 so points stay visible. */
const TINT = 0.5;

/**
 * The region shown: the data's extent plus `margin` of its span on every side,
 * widened along one axis so one unit is as long in x as in y on a width × height
 * canvas (a circle in the data stays a circle in the picture).
 */
export function planeBounds(data: Dataset, width: number, height: number, margin = 0.1): Bounds {
  const { m, X } = data;
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let j = 0; j < m; j++) {
    // X is (2, m): row 0 holds x, row 1 holds y.
    const x = X[j], y = X[m + j];
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  const spanX = xMax - xMin, spanY = yMax - yMin;
  // A single point still gets a plane around it.
  const pad = margin * (Math.max(spanX, spanY) || 1);
  const unitsPerPixel = Math.max((spanX + 2 * pad) / width, (spanY + 2 * pad) / height);
  const cx = (xMin + xMax) / 2, cy = (yMin + yMax) / 2;
  const halfW = (unitsPerPixel * width) / 2, halfH = (unitsPerPixel * height) / 2;
  return { xMin: cx - halfW, xMax: cx + halfW, yMin: cy - halfH, yMax: cy + halfH };
}

/**
 * The grid the network is evaluated on, as one (2, nx·ny) input: point (i, k),
 * i along x and k along y, both ends included, is column k·nx + i.
 */
export function gridX(b: Bounds, nx: number, ny: number): Float32Array {
  const m = nx * ny;
  const X = new Float32Array(2 * m);
  for (let k = 0; k < ny; k++) {
    for (let i = 0; i < nx; i++) {
      const j = k * nx + i;
      X[j] = b.xMin + ((b.xMax - b.xMin) * i) / (nx - 1);
      X[m + j] = b.yMin + ((b.yMax - b.yMin) * k) / (ny - 1);
    }
  }
  return X;
}

/** Background colour for probability p of class 1. */
export function heatColor(p: number): Rgb {
  const confidence = Math.min(1, Math.abs(2 * p - 1)) * TINT;
  const target = p >= 0.5 ? CLASS1 : CLASS0;
  return [0, 1, 2].map((c) => Math.round(NEUTRAL[c] + (target[c] - NEUTRAL[c]) * confidence)) as unknown as Rgb;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface BoundaryOptions {
  /** Grid points per side (default 100). */
  resolution?: number;
  /** Makes the canvas square, this many pixels a side (otherwise its size is kept). */
  size?: number;
  /** The region to show (default: planeBounds of `data`); fix it to keep pictures comparable. */
  bounds?: Bounds;
  /** Held-out examples, drawn over the training ones with a dark outline. */
  testData?: Dataset;
  /** Tick labels on the axes (default true); small thumbnails leave them out. */
  labels?: boolean;
  /**
   * K > 2: `predict` gives the K class probabilities (K, m) of a softmax head; each region
   * takes its most probable class's colour, deeper where that class is surer. Default 2:
   * the probability of class 1 (1, m).
   */
  classes?: number;
  /**
   * Regression: `predict` gives a real value; the plane is coloured on a continuous map from
   * orange at `lo` through grey to blue at `hi`, and so are the points by their targets.
   */
  range?: { lo: number; hi: number };
  /** Classification: each grid point coloured as its predicted class, fully (TensorFlow Playground's "discretize output"). */
  discretize?: boolean;
}

/**
 * Predictions made certain: for one output (two classes) 1 where p > 0.5 else 0; for K
 * outputs (K, m) one-hot at the likeliest class. What "discretize output" paints.
 */
export function discretized(A: Float32Array, m: number): Float32Array {
  const out = new Float32Array(A.length);
  const one = A.length === m;
  predictedClasses(A, m).forEach((c, j) => (out[one ? j : c * m + j] = one ? c : 1));
  return out;
}

/**
 * Draws the boundary of `predict` over `data` (n0 = 2) on the canvas. Returns the
 * region shown, for mapping pixels back to the plane.
 */
export async function drawDecisionBoundary(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  predict: Predict,
  data: Dataset,
  opts: BoundaryOptions = {},
): Promise<Bounds> {
  if (data.n0 !== 2) throw new InputError('data.n0', '2 (a decision boundary is drawn for 2-D data)', data.n0);
  const resolution = opts.resolution ?? 100;
  if (!Number.isInteger(resolution) || resolution < 2) {
    throw new InputError('resolution', 'an integer >= 2', resolution);
  }
  if (opts.size !== undefined) canvas.width = canvas.height = opts.size;
  const { width, height } = canvas;
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) throw new Error('drawDecisionBoundary: the canvas has no 2d context');

  const bounds = opts.bounds ?? planeBounds(data, width, height);
  const n = resolution;
  const classes = opts.classes ?? 2;
  // A2 on every grid point, one predict call: A2[c·n² + k·n + i] at (x_i, y_k), class row c.
  const predicted = await predict(gridX(bounds, n, n), n * n);
  const A2 = opts.discretize && !opts.range ? discretized(predicted, n * n) : predicted;

  const colour = opts.range ? ((p: ArrayLike<number>) => valueColor(p[0], opts.range!.lo, opts.range!.hi)) : undefined;
  paintHeatmap(ctx, A2, n, width, height, classes, colour);
  drawAxes(ctx, bounds, width, height, opts.labels ?? true);
  const points = opts.range ? { lo: opts.range.lo, hi: opts.range.hi } : undefined;
  drawPoints(ctx, data, bounds, width, height, undefined, classes, points);
  if (opts.testData && opts.testData.m > 0) drawPoints(ctx, opts.testData, bounds, width, height, 'rgba(0, 0, 0, 0.85)', classes, points);
  return bounds;
}

/** Each pixel takes the bilinear interpolation of the four grid values around it (per class for K > 2). */
function paintHeatmap(ctx: Context2D, A2: Float32Array, n: number, width: number, height: number, classes = 2, colour?: (p: ArrayLike<number>) => Rgb): void {
  const image = ctx.createImageData(width, height);
  heatmapPixels(image.data, A2, n, width, height, classes, colour);
  ctx.putImageData(image, 0, 0);
}

/** A value on the regression map: orange at lo, grey between, blue at hi; `tint` 1 gives the full colours (points). */
export function valueColor(v: number, lo: number, hi: number, tint = TINT): Rgb {
  const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo || 1)));
  const target = t >= 0.5 ? CLASS1 : CLASS0;
  const amount = Math.abs(2 * t - 1) * tint;
  return [0, 1, 2].map((c) => Math.round(NEUTRAL[c] + (target[c] - NEUTRAL[c]) * amount)) as unknown as Rgb;
}

/** Background colour for K class probabilities: the likeliest class, tinted by how far its probability is above 1/K. */
export function classColor(p: ArrayLike<number>): Rgb {
  const K = p.length;
  let best = 0;
  for (let c = 1; c < K; c++) if (p[c] > p[best]) best = c;
  const confidence = Math.min(1, Math.max(0, (p[best] - 1 / K) / (1 - 1 / K))) * TINT;
  const target = CLASS_COLORS[best % CLASS_COLORS.length];
  return [0, 1, 2].map((c) => Math.round(NEUTRAL[c] + (target[c] - NEUTRAL[c]) * confidence)) as unknown as Rgb;
}

/** The heatmap into RGBA pixels (width × height × 4). */
function heatmapPixels(out: Uint8ClampedArray, A2: Float32Array, n: number, width: number, height: number, classes = 2, colour?: (p: ArrayLike<number>) => Rgb): void {
  const rows = classes > 2 ? classes : 1;
  const p = new Float64Array(rows);
  for (let py = 0; py < height; py++) {
    // Pixel rows go down, y goes up.
    const v = (1 - (py + 0.5) / height) * (n - 1);
    const k0 = Math.min(n - 2, Math.floor(v)), fy = v - k0;
    for (let px = 0; px < width; px++) {
      const u = ((px + 0.5) / width) * (n - 1);
      const i0 = Math.min(n - 2, Math.floor(u)), fx = u - i0;
      for (let c = 0; c < rows; c++) {
        const at = (i: number, k: number) => A2[c * n * n + k * n + i];
        p[c] = (1 - fy) * ((1 - fx) * at(i0, k0) + fx * at(i0 + 1, k0)) + fy * ((1 - fx) * at(i0, k0 + 1) + fx * at(i0 + 1, k0 + 1));
      }
      const [r, g, b] = colour ? colour(p) : rows === 1 ? heatColor(p[0]) : classColor(p);
      const o = 4 * (py * width + px);
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
}

/**
 * The same picture without a canvas (Node has none), as RGBA pixels: the heatmap,
 * the axes through 0 (no tick labels: there is no font), and the examples as discs
 * with a white rim. For a PNG encoder.
 */
export async function decisionBoundaryPixels(
  predict: Predict,
  data: Dataset,
  opts: { size: number; resolution?: number },
): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  if (data.n0 !== 2) throw new InputError('data.n0', '2 (a decision boundary is drawn for 2-D data)', data.n0);
  const width = opts.size, height = opts.size, n = opts.resolution ?? 100;
  const bounds = planeBounds(data, width, height);
  const out = new Uint8ClampedArray(width * height * 4);
  heatmapPixels(out, await predict(gridX(bounds, n, n), n * n), n, width, height);
  const blend = (x: number, y: number, c: Rgb, alpha: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = 4 * (y * width + x);
    for (let k = 0; k < 3; k++) out[o + k] = Math.round(out[o + k] * (1 - alpha) + c[k] * alpha);
  };
  const px0 = Math.round(((0 - bounds.xMin) / (bounds.xMax - bounds.xMin)) * width);
  const py0 = Math.round(height - ((0 - bounds.yMin) / (bounds.yMax - bounds.yMin)) * height);
  for (let i = 0; i < Math.max(width, height); i++) {
    blend(i, py0, [0, 0, 0], 0.25);
    blend(px0, i, [0, 0, 0], 0.25);
  }
  const radius = Math.max(2.5, Math.min(width, height) / 130);
  const { m, X, Y } = data;
  for (let j = 0; j < m; j++) {
    const cx = ((X[j] - bounds.xMin) / (bounds.xMax - bounds.xMin)) * width;
    const cy = height - ((X[m + j] - bounds.yMin) / (bounds.yMax - bounds.yMin)) * height;
    const fill = Y[j] === 1 ? CLASS1 : CLASS0;
    for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
      for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (d <= radius - 0.5) blend(x, y, fill, 1);
        else if (d <= radius + 0.5) blend(x, y, [255, 255, 255], 0.9);
      }
    }
  }
  return { width, height, data: out };
}

/** A step of 1, 2 or 5 × 10^k giving about `count` ticks over span. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

function drawAxes(ctx: Context2D, b: Bounds, width: number, height: number, labels: boolean): void {
  const toPx = (x: number) => ((x - b.xMin) / (b.xMax - b.xMin)) * width;
  const toPy = (y: number) => height - ((y - b.yMin) / (b.yMax - b.yMin)) * height;
  ctx.save();
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.25)';
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.lineWidth = 1;
  ctx.font = `${Math.max(9, Math.round(Math.min(width, height) / 45))}px sans-serif`;
  const x0 = Math.min(width - 0.5, Math.max(0.5, Math.round(toPx(0)) + 0.5));
  const y0 = Math.min(height - 0.5, Math.max(0.5, Math.round(toPy(0)) + 0.5));
  ctx.beginPath();
  ctx.moveTo(0, y0);
  ctx.lineTo(width, y0);
  ctx.moveTo(x0, 0);
  ctx.lineTo(x0, height);
  ctx.stroke();
  if (!labels) {
    ctx.restore();
    return;
  }

  const step = niceStep(Math.max(b.xMax - b.xMin, b.yMax - b.yMin), 6);
  const label = (v: number) => String(Number(v.toPrecision(6)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let x = Math.ceil(b.xMin / step) * step; x <= b.xMax; x += step) {
    if (Math.abs(x) < step / 2) continue;
    const px = toPx(x);
    ctx.fillRect(px - 0.5, y0 - 3, 1, 6);
    ctx.fillText(label(x), px, Math.min(y0 + 4, height - 14));
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (let y = Math.ceil(b.yMin / step) * step; y <= b.yMax; y += step) {
    if (Math.abs(y) < step / 2) continue;
    const py = toPy(y);
    ctx.fillRect(x0 - 3, py - 0.5, 6, 1);
    ctx.fillText(label(y), Math.min(x0 + 5, width - 30), py);
  }
  ctx.restore();
}

/** Training points have a white outline; test points pass `outline` (dark) to stand apart. */
export function drawPoints(
  ctx: Context2D,
  data: Dataset,
  b: Bounds,
  width: number,
  height: number,
  outline = 'rgba(255, 255, 255, 0.9)',
  classes = 2,
  /** Regression: each point in its target's colour on the map from lo to hi. */
  range?: { lo: number; hi: number },
): void {
  const { m, X, Y } = data;
  const radius = Math.max(2.5, Math.min(width, height) / 130);
  const rgb = (c: Rgb) => `rgb(${c.join(', ')})`;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = outline;
  if (range) {
    for (let j = 0; j < m; j++) {
      const px = ((X[j] - b.xMin) / (b.xMax - b.xMin)) * width;
      const py = height - ((X[m + j] - b.yMin) / (b.yMax - b.yMin)) * height;
      ctx.fillStyle = rgb(valueColor(Y[j], range.lo, range.hi, 1));
      ctx.beginPath();
      ctx.arc(px, py, radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
    return;
  }
  for (let label = 0; label < classes; label++) {
    ctx.fillStyle = rgb(CLASS_COLORS[label % CLASS_COLORS.length]);
    ctx.beginPath();
    for (let j = 0; j < m; j++) {
      if (Y[j] !== label) continue;
      const px = ((X[j] - b.xMin) / (b.xMax - b.xMin)) * width;
      const py = height - ((X[m + j] - b.yMin) / (b.yMax - b.yMin)) * height;
      ctx.moveTo(px + radius, py);
      ctx.arc(px, py, radius, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}
