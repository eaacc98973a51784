// What one hidden unit computes over the input plane, as the TensorFlow
// Playground draws it: a small square heatmap, dark slate where the unit's output
// is high and magenta where it is low. Not the classes' blue and orange (Playground's
// choice): a tile shows a unit's value, not a class, and must not read as one. The values come from one forward pass over
// the same grid as the decision boundary (Trainer.activations), so the pictures
// line up with the big one.
type Rgb = readonly [number, number, number];
const NEUTRAL: Rgb = [246, 247, 248];
/** A tile's ends: far from every class colour (boundary.ts CLASS_COLORS) in hue or in lightness. */
export const TILE_LOW: Rgb = [194, 24, 130];
export const TILE_HIGH: Rgb = [45, 55, 72];

/**
 * Colour of a value t in [−1, 1]: magenta at −1, near-white at 0, dark slate at 1
 * (a diverging scale, so the sign of what a unit computes is its hue).
 */
export function divergingColor(t: number): Rgb {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const target = c >= 0 ? TILE_HIGH : TILE_LOW;
  const a = Math.abs(c);
  return [0, 1, 2].map((k) => Math.round(NEUTRAL[k] + (target[k] - NEUTRAL[k]) * a)) as unknown as Rgb;
}

/**
 * The range a unit's output is mapped from, centred where the activation is
 * "neutral": tanh spans [−1, 1] and sigmoid [0, 1] whatever the weights; ReLUs
 * are unbounded, so they are scaled by the largest magnitude the unit reaches.
 */
export function unitRange(activation: string, values: ArrayLike<number>, offset = 0, count = values.length): { lo: number; hi: number } {
  if (activation === 'tanh') return { lo: -1, hi: 1 };
  if (activation === 'sigmoid') return { lo: 0, hi: 1 };
  let max = 0;
  for (let j = offset; j < offset + count; j++) max = Math.max(max, Math.abs(values[j]));
  return { lo: -(max || 1), hi: max || 1 };
}

/**
 * Paints row `unit` of A1 (n1, n·n), laid out as the grid of gridX (column k·n + i
 * is grid point (x_i, y_k)), onto a canvas of n × n pixels; CSS scales it up.
 */
export function drawUnitHeatmap(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  A1: Float32Array,
  unit: number,
  n: number,
  activation: string,
): void {
  if (canvas.width !== n || canvas.height !== n) canvas.width = canvas.height = n;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) return;
  const m = n * n;
  const offset = unit * m; // A1 is (n1, m): unit i's outputs are row i
  const { lo, hi } = unitRange(activation, A1, offset, m);
  const image = ctx.createImageData(n, n);
  for (let k = 0; k < n; k++) {
    const py = n - 1 - k; // y goes up, pixel rows go down
    for (let i = 0; i < n; i++) {
      const v = A1[offset + k * n + i];
      const [r, g, b] = divergingColor(((v - lo) / (hi - lo)) * 2 - 1);
      const o = 4 * (py * n + i);
      image.data[o] = r;
      image.data[o + 1] = g;
      image.data[o + 2] = b;
      image.data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}
