// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { WORKGROUP } from '../common.wgsl.ts';
export default /* wgsl */ `// How long the lists of x_block_lists.wgsl are, counted once when the tiled step is
// built, to choose between its dense and sparse kernels and to size the lists.
// X1 = [X; 1ᵀ] (N0 + 1, M) is cut into blocks of B columns (examples, taken in the
// order \`order\`, see example-order.ts) and into blocks of B rows; a block's list has
// one entry per line that is not all zero in it:
//   counts[b]       = #{k < N0 : X[k, order[i]] ≠ 0 for some i in bB .. bB+B−1}   b < NE = ceil(M / B)
//   counts[NE + b]  = #{j < M  : X1[k, j] ≠ 0 for some k in bB .. bB+B−1}  b < NK = ceil((N0 + 1) / B)
// (row N0 of X1 is all ones, so its block lists every example). "≠ 0" is a float
// comparison: −0 counts as zero, NaN as nonzero, so a sparse product skips exactly
// the terms that are ±0·w. X (N0, M); order (M) u32, a permutation; counts (NE + NK) u32.
// One invocation per block, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read_write> counts: array<u32>;

${WORKGROUP}
override N0: u32;
override M: u32;
override B: u32;
override NE: u32;
override NK: u32;

// X1[k, j] ≠ 0 for the row of ones too; rows past N0 are zero.
fn nonzero(k: u32, j: u32) -> bool {
  if (k < N0) { return X[k * M + j] != 0.0; }
  return k == N0;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  var n = 0u;
  if (idx < NE) {
    let i0 = idx * B;
    let i1 = min(i0 + B, M);
    for (var k = 0u; k < N0; k++) {
      var any = false;
      for (var i = i0; i < i1; i++) { any = any || X[k * M + order[i]] != 0.0; }
      n += select(0u, 1u, any);
    }
  } else if (idx < NE + NK) {
    let k0 = (idx - NE) * B;
    for (var j = 0u; j < M; j++) {
      var any = false;
      for (var k = k0; k < k0 + B; k++) { any = any || nonzero(k, j); }
      n += select(0u, 1u, any);
    }
  } else {
    return;
  }
  counts[idx] = n;
}
`;
