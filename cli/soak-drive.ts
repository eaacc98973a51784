// What the page soaks (cli/soak-playground.ts, cli/soak-mnist.ts) share: a seeded order
// of changes that goes round every kind, the buffer counter injected before the page's
// scripts, the page's errors collected, and the counts a sample takes.
import type { Page } from 'playwright';
import { createRng } from '../src/data/rng.ts';
import { installBufferCounter, type BufferCounter } from '../src/testing/buffer-counter.ts';

/** A seeded random source: pick one of a list, and the kinds of change in rounds (each round every kind once, in a shuffled order). */
export function seededChanges<C>(seed: number, kinds: readonly C[]) {
  const rng = createRng(seed);
  const shuffled = (list: readonly C[]): C[] => {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  let round: C[] = [];
  return {
    uniform: () => rng.uniform(),
    pick: <T>(list: readonly T[]): T => list[Math.floor(rng.uniform() * list.length)],
    /** The next kind of change. */
    next: (): C => {
      if (round.length === 0) round = shuffled(kinds);
      return round.shift()!;
    },
    /** Puts a kind back at the end of this round (when it cannot happen now). */
    later: (kind: C): void => void round.push(kind),
  };
}

/** Counts every GPU buffer from the first script on, and collects the page's errors (console errors and uncaught ones). */
export async function watchPage(page: Page): Promise<string[]> {
  await page.addInitScript(installBufferCounter);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** The page's hook for the soak (window.playground, window.mnistPage). */
export interface SoakHook {
  device: GPUDevice;
  configuration: string;
  strayBuffers: number;
}

/** After a garbage collection: the buffers alive on the hook's device, the library's strays, the heap, the configuration. */
export const countOn = (page: Page, hook: 'playground' | 'mnistPage') => page.evaluate((name) => {
  const g = globalThis as unknown as Record<string, SoakHook> & { gpuBufferCounter: BufferCounter; gc?: () => void };
  const h = g[name];
  g.gpuBufferCounter.keepOnly(h.device); // A lost device's buffers went with it.
  g.gc?.();
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return { live: g.gpuBufferCounter.live(h.device), stray: h.strayBuffers, heap: memory ? memory.usedJSHeapSize : null, configuration: h.configuration };
}, hook);
