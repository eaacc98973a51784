// Equations (5) and (6) for the hidden layer when the data is sparse, with the update fused:
//   [dW1 | db1][i, k] = (1/m)·Σ_{j : X1[k, j] ≠ 0} dZ1[i, j]·X1[k, j],   X1 = [X; 1ᵀ] (N0 + 1, M)
//   [W1 | b1] ← [W1 | b1] − α·[dW1 | db1]
//   byRow: the nonzero (j, X1[k, j]) of each row k of X1 from S[M+1+k] to S[M+1+k+1]
//   (x_nonzeros_by_example_and_row.wgsl; row N0 lists every j with 1, so column N0 is db1);
//   dZ1T (M, N1) from output_layer_dz; output (N1, N0 + 1) inside P and dP.
// The terms skipped are exactly the zero products, so this is (1/m)·dZ1·[X; 1ᵀ]ᵀ.
// Each invocation owns TR consecutive rows i0..i0+TR−1 of one column k, TR
// accumulators unrolled in straight-line code: per nonzero it loads (j, x) and TR
// neighbouring entries of dZ1T's row j. Neighbouring invocations take the other
// row blocks of the same column k, so the lanes of a subgroup run the same trip count.
// The sum goes in blocks of BLOCK nonzero terms, then the block sums (as
// sum_rows.wgsl): one running float32 sum over many examples drifts.
// The last row block is shifted down to end at row N1 (TR ≤ N1); rows it shares with
// the block before are that block's, so each entry is updated exactly once.
// status[0] = 1 when an updated parameter is not finite (bit test: WGSL may assume finite math).
// Invocations: ceil(N1/TR) per column of X1, numbered linearly in a 2-D grid when needed.

const lines = (n: number, f: (t: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, t) => f(t)).join(sep);

/** The kernel for TR rows per invocation (1 ≤ TR ≤ N1, fixed when the step is built). */
export const dw1Db1SparseUpdate = (TR: number): string => `
struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> S: array<u32>;
@group(0) @binding(2) var<storage, read> byRow: array<vec2u>;
@group(0) @binding(3) var<storage, read> dZ1T: array<f32>;
@group(0) @binding(4) var<storage, read_write> P: array<f32>;
@group(0) @binding(5) var<storage, read_write> dP: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;

override WG: u32 = 64;
override N0: u32;
override N1: u32;
override M: u32;
override OW1: u32;        // offsets of W1 and b1 in P (and dW1, db1 in dP), in floats
override OB1: u32;
const TR = ${TR}u;        // rows per invocation
override ROW_BLOCKS: u32; // ceil(N1 / TR)
const BLOCK = 256u;

fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

// Gradient and update of entry (i, k) of [W1 | b1] from its sum over examples.
fn finish(i: u32, k: u32, sum: f32) {
  let at = select(OB1 + i, OW1 + i * N0 + k, k < N0);
  let d = sum / f32(M);
  dP[at] = d;
  let p = P[at] - step.alpha * d;
  P[at] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  let k = idx / ROW_BLOCKS;
  if (k > N0) { return; }
  let first = (idx % ROW_BLOCKS) * TR; // the rows from here on are this invocation's
  let i0 = min(first, N1 - TR);
  ${lines(TR, (t) => `var s${t} = 0.0;`, ' ')}
  let end = S[M + 2u + k];
  for (var start = S[M + 1u + k]; start < end; start += BLOCK) {
    ${lines(TR, (t) => `var b${t} = 0.0;`, ' ')}
    let blockEnd = min(start + BLOCK, end);
    for (var p = start; p < blockEnd; p++) {
      let e = byRow[p];
      let x = bitcast<f32>(e.y);
      let d = e.x * N1 + i0;
      ${lines(TR, (t) => `b${t} += dZ1T[d + ${t}u] * x;`, '\n      ')}
    }
    ${lines(TR, (t) => `s${t} += b${t};`, ' ')}
  }
  ${lines(TR, (t) => `if (i0 + ${t}u >= first) { finish(i0 + ${t}u, k, s${t}); }`)}
}
`;
