// The geometry behind the decision-boundary plot, in Node: the region shown and
// the grid handed to predict. The drawing itself is checked in the browser by
// the CLI's end-to-end test (a PNG of the expected size).
import { expect, test } from '@playwright/test';
import type { Dataset } from '../types.ts';
import { CLASS0, CLASS1, discretized, gridX, heatColor, planeBounds } from './boundary.ts';

const points = (xy: [number, number][]): Dataset => ({
  name: 'test',
  n0: 2,
  m: xy.length,
  X: new Float32Array([...xy.map((p) => p[0]), ...xy.map((p) => p[1])]),
  Y: new Float32Array(xy.length),
});

test('planeBounds pads the data by 10% of its span and keeps x and y at one scale (square canvas)', () => {
  const b = planeBounds(points([[-2, -1], [2, 1]]), 100, 100);
  // x spans 4, padded by 0.4 each side; y is widened to the same 4.8.
  expect(b.xMin).toBeCloseTo(-2.4, 12);
  expect(b.xMax).toBeCloseTo(2.4, 12);
  expect(b.yMin).toBeCloseTo(-2.4, 12);
  expect(b.yMax).toBeCloseTo(2.4, 12);
});

test('planeBounds on a 200x100 canvas gives twice the x range of the y range', () => {
  const b = planeBounds(points([[0, 0], [1, 1]]), 200, 100);
  expect(b.xMax - b.xMin).toBeCloseTo(2 * (b.yMax - b.yMin), 12);
  expect(b.yMin).toBeCloseTo(-0.1, 12);
  expect(b.yMax).toBeCloseTo(1.1, 12);
});

test('planeBounds around a single point is a non-empty region centred on it', () => {
  const b = planeBounds(points([[3, -4]]), 50, 50);
  expect(b.xMax - b.xMin).toBeGreaterThan(0);
  expect((b.xMin + b.xMax) / 2).toBeCloseTo(3, 12);
  expect((b.yMin + b.yMax) / 2).toBeCloseTo(-4, 12);
});

test('gridX is (2, nx*ny) with both ends included, x fastest (nx=3, ny=2)', () => {
  const X = gridX({ xMin: 0, xMax: 2, yMin: -1, yMax: 1 }, 3, 2);
  expect(Array.from(X)).toEqual([0, 1, 2, 0, 1, 2, /* y row */ -1, -1, -1, 1, 1, 1]);
});

test('heatColor is grey at p=0.5 and tends to blue for class 1, orange for class 0', () => {
  const grey = heatColor(0.5);
  expect(grey).toEqual([232, 234, 235]);
  const blue = heatColor(1), orange = heatColor(0);
  // Deeper towards the class colour, never all the way (the points must stand out).
  expect(Math.abs(blue[2] - CLASS1[2])).toBeLessThan(Math.abs(grey[2] - CLASS1[2]));
  expect(blue).not.toEqual(CLASS1);
  expect(Math.abs(orange[2] - CLASS0[2])).toBeLessThan(Math.abs(grey[2] - CLASS0[2]));
  const dist = (c: readonly number[], t: readonly number[]) => Math.hypot(c[0] - t[0], c[1] - t[1], c[2] - t[2]);
  expect(dist(heatColor(0.9), CLASS1)).toBeLessThan(dist(heatColor(0.6), CLASS1));
  expect(dist(heatColor(0.1), CLASS0)).toBeLessThan(dist(heatColor(0.4), CLASS0));
});

test('discretized: one output becomes 0/1 at 0.5; K outputs (K, m) one-hot at the likeliest class', () => {
  expect(Array.from(discretized(Float32Array.of(0.2, 0.5, 0.51, 0.99), 4))).toEqual([0, 0, 1, 1]);
  // Three classes, two examples: columns (0.2, 0.5, 0.3) and (0.6, 0.1, 0.3).
  expect(Array.from(discretized(Float32Array.of(0.2, 0.6, 0.5, 0.1, 0.3, 0.3), 2))).toEqual([0, 1, 1, 0, 0, 0]);
});
