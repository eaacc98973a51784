// Initial parameters. Weights are random so hidden units start different (with
// all-zero weights every unit of a layer gets the same gradient and they never
// separate: see ERRATA); biases start at zero as in the course.
import { createRng } from '../data/rng.ts';
import type { InitScheme, Parameters } from '../types.ts';
import { validateInit, validateSeed, validateSizes } from '../validate.ts';

/** Standard deviation of W[l] entries for a layer with fanIn = n_{l-1} inputs. */
export function initScale(scheme: InitScheme, fanIn: number): number {
  switch (scheme) {
    case 'course':
      return 0.01; // the course's np.random.randn(n1, n0) * 0.01
    case 'xavier':
      return Math.sqrt(1 / fanIn); // keeps Var(Z) ≈ Var(A_prev) for tanh
    case 'he':
      return Math.sqrt(2 / fanIn); // the factor 2 makes up for ReLU zeroing half of Z
    case 'zeros':
      return 0;
  }
}

/**
 * Parameters for sizes [n0, n1, ..., nL]: W[l] (n_l, n_{l-1}) row-major drawn
 * N(0, 1)·scale in the order W[1], W[2], ..., b[l] = 0. Every value is rounded to
 * float32 so the GPU trainer and the float64 reference start from the same numbers.
 */
export function initParameters(sizes: number[], scheme: InitScheme, seed: number): Parameters {
  validateSizes(sizes);
  validateInit(scheme);
  validateSeed(seed);
  const rng = createRng(seed);
  const L = sizes.length - 1;
  const W: Float64Array[] = [new Float64Array(0)];
  const b: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    const scale = initScale(scheme, sizes[l - 1]);
    // W[l] is (n_l, n_{l-1})
    const Wl = new Float64Array(sizes[l] * sizes[l - 1]);
    // 'zeros' draws nothing, so the entries stay exact zeros (not 0 · N(0, 1) = -0).
    if (scale !== 0) for (let i = 0; i < Wl.length; i++) Wl[i] = Math.fround(rng.normal() * scale);
    W.push(Wl);
    // b[l] is (n_l, 1)
    b.push(new Float64Array(sizes[l]));
  }
  return { sizes: sizes.slice(), W, b };
}
