// What a soak run must show, checked in Node (unit-tested without a browser): no
// error, every GPU buffer freed at the end, the same number of live buffers whenever
// the same configuration runs (no growth over time), and a JS heap that stays within
// a bound of where it started.
import type { SoakResult, SoakSample } from './soak-page.ts';

export interface SoakBounds {
  /** Most the JS heap may grow, first fifth of the run against the last fifth (medians), in bytes. */
  heapGrowthBytes: number;
  /** Each expected kind of change must happen at least this often (0: no such check). */
  minVisits: number;
}

export const DEFAULT_SOAK_BOUNDS: SoakBounds = { heapGrowthBytes: 16 * 2 ** 20, minVisits: 0 };

export interface SoakVerdict {
  ok: boolean;
  failures: string[];
  /** Live buffers per configuration key (each must be one number). */
  buffersByKey: Record<string, number[]>;
  heapStart: number | null;
  heapEnd: number | null;
  heapMax: number | null;
  changes: Record<string, number>;
  steps: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

export function judgeSoak(r: SoakResult, given: Partial<SoakBounds> = {}): SoakVerdict {
  const bounds = { ...DEFAULT_SOAK_BOUNDS, ...given };
  const failures: string[] = [];
  if (r.error) failures.push(`threw: ${r.error}`);
  if (r.samples.length < 3) failures.push(`only ${r.samples.length} samples: run longer than three changes`);
  if (r.liveAfter !== null && r.liveAfter !== 0) failures.push(`${r.liveAfter} GPU buffers left after the last trainer was destroyed`);
  if (r.ownedAfter !== null && r.ownedAfter !== 0) failures.push(`${r.ownedAfter} buffers left in the library's own count`);
  const buffersByKey: Record<string, number[]> = {};
  for (const s of r.samples) (buffersByKey[s.key] ??= []).push(s.liveBuffers);
  for (const [key, counts] of Object.entries(buffersByKey)) {
    const distinct = [...new Set(counts)];
    if (distinct.length > 1) failures.push(`${key}: live buffers changed between samples of the same configuration (${distinct.join(', ')})`);
  }
  // Buffers the library's owners hold beyond the trainer in use: one number all along (0), whatever the configuration.
  const strays = [...new Set(r.samples.map((s) => s.strayBuffers).filter((n): n is number => n !== undefined))];
  if (strays.length > 1 || (strays.length === 1 && strays[0] !== 0)) {
    failures.push(`the library held buffers beyond the trainer's: ${r.samples.map((s) => `${s.change} ${s.strayBuffers}`).filter((_, i) => r.samples[i].strayBuffers !== 0).slice(0, 5).join(', ')}`);
  }
  const heaps = r.samples.map((s) => s.heapBytes).filter((h): h is number => h !== null);
  let heapStart: number | null = null;
  let heapEnd: number | null = null;
  if (heaps.length >= 5) {
    const fifth = Math.max(1, Math.floor(heaps.length / 5));
    heapStart = median(heaps.slice(0, fifth));
    heapEnd = median(heaps.slice(-fifth));
    if (heapEnd - heapStart > bounds.heapGrowthBytes) {
      failures.push(`the JS heap grew ${MB(heapEnd - heapStart)} (${MB(heapStart)} → ${MB(heapEnd)}), more than the bound ${MB(bounds.heapGrowthBytes)}`);
    }
  }
  const changes: Record<string, number> = {};
  for (const s of r.samples) changes[s.change] = (changes[s.change] ?? 0) + 1;
  const rare = (r.expectedChanges ?? []).filter((c) => (changes[c] ?? 0) < bounds.minVisits);
  if (bounds.minVisits > 0 && rare.length) failures.push(`visited fewer than ${bounds.minVisits} times: ${rare.map((c) => `${c} (${changes[c] ?? 0})`).join(', ')}`);
  const costs = r.samples.filter((s: SoakSample) => s.change !== 'start').map((s) => s.cost);
  if (costs.some((c) => !Number.isFinite(c))) failures.push('a logged cost was not finite');
  return {
    ok: failures.length === 0, failures, buffersByKey, heapStart, heapEnd, heapMax: heaps.length ? Math.max(...heaps) : null, changes,
    steps: r.samples.reduce((sum, s) => Math.max(sum, s.steps), 0),
  };
}

/** The README's kind of table: what the soak held. */
export function soakTable(r: SoakResult, v: SoakVerdict, seconds: number): string {
  const rows: [string, string][] = [
    ['adapter', r.adapter],
    ['time', `${seconds.toFixed(0)} s, ${r.samples.length} samples, changes: ${Object.entries(v.changes).map(([k, n]) => `${k} ${n}`).join(', ')}`],
    ['live GPU buffers', Object.entries(v.buffersByKey).map(([k, c]) => `${k}: ${[...new Set(c)].join('/')}`).join('; ') + (r.liveAfter === null ? '' : `; after the end: ${r.liveAfter}`)],
    ['JS heap', v.heapStart === null ? 'not measurable in this browser' : `${MB(v.heapStart)} → ${MB(v.heapEnd!)} (max ${MB(v.heapMax!)})`],
    ['result', v.ok ? 'held' : `FAILED: ${v.failures.join('; ')}`],
  ];
  return rows.map(([k, val]) => `  ${k.padEnd(18)}${val}`).join('\n');
}
