import { test, expect } from '@playwright/test';
import { CLASS_COLORS } from './boundary.ts';
import { divergingColor, TILE_HIGH, TILE_LOW } from './unit-heatmap.ts';

test('a unit tile\'s colours cannot be taken for a class: its ends (slate high, magenta low) are far from every class colour, and 0 is near-white', () => {
  expect(divergingColor(1)).toEqual(TILE_HIGH);
  expect(divergingColor(-1)).toEqual(TILE_LOW);
  expect(Math.min(...divergingColor(0))).toBeGreaterThan(240);
  const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  for (const end of [TILE_HIGH, TILE_LOW]) {
    for (const c of CLASS_COLORS) expect(distance(end, c), `${end} against class colour ${c}`).toBeGreaterThan(90);
  }
});
