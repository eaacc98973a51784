// The chart's arithmetic: where its ticks go and what y range it shows.
import { expect, test } from '@playwright/test';
import { xTicks, yRange } from './line-chart.ts';

test('x ticks: about four over the range; whole numbers only for epochs (no 0.5 and 1.5 on a chart of 2 epochs)', () => {
  expect(xTicks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
  expect(xTicks(2, true)).toEqual([0, 1, 2]);
  expect(xTicks(1, true)).toEqual([0, 1]);
  expect(xTicks(10_000)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
  expect(xTicks(20, true)).toEqual([0, 5, 10, 15, 20]);
});

test('y range: from the data (0 up when all ≥ 0), fixed when given; a spike above yClip is clipped and its peak reported', () => {
  const curve = (ys: number[]) => [{ label: 'training', color: '#000', points: ys.map((y, x) => ({ x, y })) }];
  expect(yRange(curve([1.1, 0.8, 0.5]), {})).toEqual({ yMin: 0, yMax: 1.1, clipped: null });
  expect(yRange(curve([1.1, 273, 1.09]), { yClip: 2.2 })).toEqual({ yMin: 0, yMax: 2.2, clipped: 273 });
  expect(yRange(curve([1.1, 0.9]), { yClip: 2.2 })).toEqual({ yMin: 0, yMax: 1.1, clipped: null });
  expect(yRange(curve([0.2, 0.9]), { yMin: 0, yMax: 1, yClip: 0.5 })).toEqual({ yMin: 0, yMax: 1, clipped: null });
  expect(yRange(curve([-2, 3, NaN]), {})).toEqual({ yMin: -2, yMax: 3, clipped: null });
  expect(yRange([], {})).toEqual({ yMin: 0, yMax: 1, clipped: null });
});
