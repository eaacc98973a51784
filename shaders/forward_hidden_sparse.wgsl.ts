// Forward propagation through the hidden layer for sparse data (the 'tiled' step
// when most of X is zero; see count_nonzeros_x.wgsl):
//   A1[:, j] = g(Z1[:, j]),  Z1[:, j] = b1 + Σ_{k : X[k, j] ≠ 0} W1[:, k]·X[k, j]
//   W1 (N1, N0) and b1 (N1, 1) inside P; byExample: the nonzero (k, X[k, j]) of each
//   example j from S[j] to S[j+1] (x_nonzeros_by_example_and_row.wgsl); A1 (N1, M4)
// The terms skipped are exactly the zero ones, so this is W1·X + b1 with the products
// that are ±0 left out (the sum is the dense one, in the same k order, without them).
// Each invocation owns TR consecutive rows i0..i0+TR−1 of one example's column,
// TR accumulators unrolled in straight-line code: per nonzero it loads (k, x) and
// TR entries of W1 (on SwiftShader every load is a per-lane gather, so this is TR
// multiply-adds per TR + 2 loads). Neighbouring invocations take the other row
// blocks of the same example, so the lanes of a subgroup run the same trip count.
// The last row block is shifted down to end at row N1 (it may overlap the one
// before; both write the same values), so no row is clamped or masked (TR ≤ N1).
// The columns of A1 past M are not written (never read as examples).
// Invocations: ceil(N1/TR) per example, numbered linearly in a 2-D grid when needed.
import { wgsl } from 'wgsl-preprocessor';
import type { Activation } from '../src/types.ts';
import { activationFunctions } from './activations.wgsl.ts';

const lines = (n: number, f: (t: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, t) => f(t)).join(sep);

/** The kernel for TR rows per invocation (1 ≤ TR ≤ N1, fixed when the step is built). */
export const forwardHiddenSparse = (activation: Activation, TR: number): string => wgsl`
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> S: array<u32>;
@group(0) @binding(2) var<storage, read> byExample: array<vec2u>;
@group(0) @binding(3) var<storage, read_write> A1: array<f32>;

override WG: u32 = 64;
override N0: u32;
override N1: u32;
override M: u32;
override M4: u32;         // row length of A1
override OW1: u32;        // offsets of W1 and b1 in P, in floats
override OB1: u32;
const TR = ${TR}u;        // rows per invocation
override ROW_BLOCKS: u32; // ceil(N1 / TR)

${activationFunctions(activation)}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  let j = idx / ROW_BLOCKS;
  if (j >= M) { return; }
  let i0 = min((idx % ROW_BLOCKS) * TR, N1 - TR);
  ${lines(TR, (t) => `var z${t} = P[OB1 + i0 + ${t}u];`)}
  let w = OW1 + i0 * N0;
  let end = S[j + 1u];
  for (var p = S[j]; p < end; p++) {
    let e = byExample[p];
    let x = bitcast<f32>(e.y);
    let c = w + e.x;
    ${lines(TR, (t) => `z${t} += P[c + ${t}u * N0] * x;`, '\n    ')}
  }
  let a = i0 * M4 + j;
  ${lines(TR, (t) => `A1[a + ${t}u * M4] = g(z${t});`)}
}
`;
