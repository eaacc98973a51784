// Forward propagation through the hidden layer for sparse data (the 'tiled' step
// when most of X is zero; see count_x_block_entries.wgsl):
//   A1[:, j] = g(Z1[:, j]),  Z1[:, j] = b1 + Σ_{k : X[k, j] ≠ 0} W1[:, k]·X[k, j]
//   W1 (N1, N0) and b1 (N1, 1) inside P; byExamples: per block of B examples (examples
//   order[bB .. bB+B−1]), the lines k of X not all zero in it, with the block's B values
//   (x_block_lists.wgsl); order (M) u32; A1 (N1, M4)
// The terms a block's list leaves out are exactly ±0·w, and an example's zeros that it
// keeps (another example of the block is nonzero there) add 0, so this is W1·X + b1 with
// the zero products left out (the dense sum in the same k order, without them).
// Each invocation owns R consecutive rows i0..i0+R−1 and the B examples of one block:
// R·B accumulators unrolled in straight-line code. Per list entry it loads k, the B
// values and R entries of W1, then makes R·B multiply-adds: one load of W1 serves B
// examples (on SwiftShader every load is a per-lane gather and loads bound this kernel;
// 784-128-1 on 10,000 digits: 0.20 s against 0.28 s with one example per invocation,
// 0.15 s with the examples in example-order.ts's order).
// Neighbouring invocations take the other row blocks of the same block of examples,
// so the lanes of a subgroup run the same trip count.
// The last row block is shifted down to end at row N1 (it may overlap the one
// before; both write the same values), so no row is clamped or masked (R ≤ N1).
// The columns of A1 past M are not written (never read as examples).
// Invocations: ceil(N1/R) per block of examples, numbered linearly in a 2-D grid when needed.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Activation } from '../../src/types.ts';
import { activationFunctions } from '../activations.wgsl.ts';
import { WORKGROUP } from '../common.wgsl.ts';

const lines = (n: number, f: (t: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, t) => f(t)).join(sep);
const grid = (r: number, b: number, f: (t: number, c: number) => string, sep = '\n  ') => lines(r, (t) => lines(b, (c) => f(t, c), sep), sep);

/** The kernel for R rows and B examples per invocation (1 ≤ R ≤ N1, fixed when the step is built). */
export const forwardHiddenSparse = (activation: Activation, R: number, B: number): string => wgsl`
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> byExamples: array<u32>;
@group(0) @binding(4) var<storage, read_write> A1: array<f32>;

${WORKGROUP}
override N0: u32;
override N1: u32;
override M: u32;
override M4: u32;         // row length of A1
override OW1: u32;        // offsets of W1 and b1 in P, in floats
override OB1: u32;
const R = ${R}u;          // rows per invocation
const B = ${B}u;          // examples per block
override NE: u32;         // blocks of examples: ceil(M / B)
override ROW_BLOCKS: u32; // ceil(N1 / R)

${activationFunctions(activation)}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  let block = idx / ROW_BLOCKS;
  if (block >= NE) { return; }
  let i0 = min((idx % ROW_BLOCKS) * R, N1 - R);
  ${lines(R, (t) => `let b${t} = P[OB1 + i0 + ${t}u];`)}
  ${grid(R, B, (t, c) => `var z${t}_${c} = b${t};`)}
  let w = OW1 + i0 * N0;
  let end = S[block + 1u];
  for (var p = S[block]; p < end; p++) {
    let q = p * (B + 1u);
    let c = w + byExamples[q];
    ${lines(B, (c) => `let x${c} = bitcast<f32>(byExamples[q + ${c + 1}u]);`, '\n    ')}
    ${lines(R, (t) => `let w${t} = P[c + ${t}u * N0];`, '\n    ')}
    ${grid(R, B, (t, c) => `z${t}_${c} += w${t} * x${c};`, '\n    ')}
  }
  let first = block * B;
  ${lines(B, (c) => `if (first + ${c}u < M) {\n    let j = order[first + ${c}u];\n    ${lines(R, (t) => `A1[(i0 + ${t}u) * M4 + j] = g(z${t}_${c});`, '\n    ')}\n  }`)}
}
`;
