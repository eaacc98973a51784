// A small seeded random number generator. Data sets and initial weights must be
// the same on every machine and every run, so Math.random is never used: the
// generator is sfc32, its four words filled from the seed by splitmix32 so that
// nearby seeds (1, 2, 3...) still give unrelated streams.
import { InputError } from '../errors.ts';

export interface Rng {
  /** Uniform in [0, 1), 32 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) by Box–Muller. */
  normal(): number;
}

/** splitmix32: a good 32-bit mixer, used only to expand the seed into state. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A deterministic generator from an integer seed (any safe integer; 32-bit seeds
 * are the usual case). The high word is mixed in rather than dropped, so -1 and
 * 2^32 − 1 do not give the same stream.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new InputError('seed', 'an integer', seed);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) | 0;
  const mix = { x: hi };
  mix.x = (lo ^ splitmix32(mix)) | 0;
  let a = splitmix32(mix);
  let b = splitmix32(mix);
  let c = splitmix32(mix);
  let d = splitmix32(mix);

  // sfc32 (Chris Doty-Humphrey's small fast chaotic generator), 32-bit words.
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of sfc32 still correlate with the raw state.
  for (let i = 0; i < 12; i++) next32();

  const uniform = (): number => next32() / 4294967296;
  const normal = (): number => {
    // 1 − u is in (0, 1], so the log is finite. The second Box–Muller value is
    // dropped on purpose: each call then consumes exactly two uniforms, which
    // keeps streams easy to reason about when several consumers share an Rng.
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}

/** n evenly spaced values from start to stop inclusive, like numpy.linspace. */
export function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + ((stop - start) * i) / (n - 1));
  return out;
}
