// Equations (5) and (6) for the hidden layer when the data is sparse, with the update fused:
//   [dW1 | db1][i, k] = (1/m)·Σ_{j : X1[k, j] ≠ 0} dZ1[i, j]·X1[k, j],   X1 = [X; 1ᵀ] (N0 + 1, M)
//   [W1 | b1] ← [W1 | b1] − α·[dW1 | db1]
//   byRows: per block of B rows of X1, the examples j not all zero in it, with the
//   block's B values (x_block_lists.wgsl; row N0 is all ones, so column N0 is db1);
//   dZ1T (M, N1) from output_layer_dz; output (N1, N0 + 1) inside P and dP.
// The terms left out are exactly the zero products, and the zeros a list keeps add 0,
// so this is (1/m)·dZ1·[X; 1ᵀ]ᵀ.
// Each invocation owns R consecutive rows i0..i0+R−1 and the B columns k0..k0+B−1 of
// one block: R·B accumulators unrolled in straight-line code. Per list entry it loads j,
// the B values and R neighbouring entries of dZ1T's row j, then makes R·B multiply-adds:
// one load of dZ1 serves B columns (on SwiftShader every load is a per-lane gather and
// loads bound this kernel; 784-128-1 on 10,000 digits: 0.16 s against 0.28 s with one
// column per invocation). Neighbouring invocations take the other row blocks of the same
// block of columns, so the lanes of a subgroup run the same trip count.
// The sum goes in blocks of BLOCK list entries, then the block sums (as
// sum_rows.wgsl): one running float32 sum over many examples drifts.
// The last row block is shifted down to end at row N1 (R ≤ N1); rows it shares with
// the block before are that block's, so each entry is updated exactly once.
// status[0] = 1 when an updated parameter is not finite (bit test: WGSL may assume finite math).
// Invocations: ceil(N1/R) per block of columns of X1, numbered linearly in a 2-D grid when needed.

import { descend } from '../updates.wgsl.ts';
import { block } from '../reductions.wgsl.ts';
import { numerics } from '../numerics.wgsl.ts';
import { WORKGROUP } from '../common.wgsl.ts';

const lines = (n: number, f: (t: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, t) => f(t)).join(sep);
const grid = (r: number, b: number, f: (t: number, c: number) => string, sep = '\n  ') => lines(r, (t) => lines(b, (c) => f(t, c), sep), sep);

/** The kernel for R rows and B columns per invocation (1 ≤ R ≤ N1, fixed when the step is built). */
export const dw1Db1SparseUpdate = (R: number, B: number): string => `
struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> S: array<u32>;
@group(0) @binding(2) var<storage, read> byRows: array<u32>;
@group(0) @binding(3) var<storage, read> dZ1T: array<f32>;
@group(0) @binding(4) var<storage, read_write> P: array<f32>;
@group(0) @binding(5) var<storage, read_write> dP: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;

${WORKGROUP}
override N0: u32;
override N1: u32;
override M: u32;
override OW1: u32;        // offsets of W1 and b1 in P (and dW1, db1 in dP), in floats
override OB1: u32;
const R = ${R}u;          // rows per invocation
const B = ${B}u;          // columns of X1 per block
override NE: u32;         // blocks of examples (the lists of rows start at S[NE + 1])
override NK: u32;         // blocks of columns: ceil((N0 + 1) / B)
override ROW_BLOCKS: u32; // ceil(N1 / R)
${block}
${numerics}
${descend}

// Gradient and update of entry (i, k) of [W1 | b1] from its sum over examples.
fn finish(i: u32, k: u32, sum: f32) {
  let at = select(OB1 + i, OW1 + i * N0 + k, k < N0);
  let d = sum / f32(M);
  dP[at] = d;
  let p = descend(P[at], step.alpha, d);
  P[at] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  let block = idx / ROW_BLOCKS;
  if (block >= NK) { return; }
  let first = (idx % ROW_BLOCKS) * R; // the rows from here on are this invocation's
  let i0 = min(first, N1 - R);
  ${lines(R, (t) => lines(B, (c) => `var s${t}_${c} = 0.0;`, ' '))}
  let end = S[NE + 2u + block];
  for (var start = S[NE + 1u + block]; start < end; start += BLOCK) {
    ${lines(R, (t) => lines(B, (c) => `var b${t}_${c} = 0.0;`, ' '), '\n    ')}
    let blockEnd = min(start + BLOCK, end);
    for (var p = start; p < blockEnd; p++) {
      let q = p * (B + 1u);
      let d = byRows[q] * N1 + i0;
      ${lines(B, (c) => `let x${c} = bitcast<f32>(byRows[q + ${c + 1}u]);`, '\n      ')}
      ${lines(R, (t) => `let dz${t} = dZ1T[d + ${t}u];`, '\n      ')}
      ${grid(R, B, (t, c) => `b${t}_${c} += dz${t} * x${c};`, '\n      ')}
    }
    ${lines(R, (t) => lines(B, (c) => `s${t}_${c} += b${t}_${c};`, ' '), '\n    ')}
  }
  let k0 = block * B;
  ${grid(R, B, (t, c) => `if (i0 + ${t}u >= first && k0 + ${c}u <= N0) { finish(i0 + ${t}u, k0 + ${c}u, s${t}_${c}); }`)}
}
`;
