// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
import { WORKGROUP } from '../common.wgsl.ts';
export default /* wgsl */ `// The data as lists of its nonzero lines per block (made once, when the tiled step
// is built, and only when X is sparse enough; see count_x_block_entries.wgsl), so
// that the sparse kernels load each weight once for B examples (B columns of X1):
//   byExamples, block b of examples order[bB .. bB+B−1], entries S[b] .. S[b+1]:
//     for each k < N0 (ascending) with X[k, j] ≠ 0 for some j in the block:
//     k, then X[k, order[bB + c]] for c = 0 .. B−1 (0 past M)               (B + 1 u32)
//   byRows, block b of rows bB .. bB+B−1 of X1 = [X; 1ᵀ], entries S[NE+1+b] .. S[NE+1+b+1]:
//     for each j < M (ascending) with X1[k, j] ≠ 0 for some k in the block:
//     j, then X1[bB + c, j] for c = 0 .. B−1 (1 in row N0, 0 past it)          (B + 1 u32)
// Values are stored as bitcast<u32>(x). X (N0, M); order (M) u32, a permutation of the
// examples (example-order.ts: alike examples share blocks); S (NE + 1 + NK + 1) u32: prefix
// sums of count_x_block_entries' counts, made on the CPU; NE = ceil(M / B), NK = ceil((N0 + 1) / B).
// forward_hidden_sparse reads byExamples (Z1 = W1·X + b1), dw1_db1_sparse_update
// reads byRows ([dW1 | db1] = (1/m)·dZ1·[X; 1ᵀ]ᵀ).
// One invocation per block, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read_write> byExamples: array<u32>;
@group(0) @binding(4) var<storage, read_write> byRows: array<u32>;

${WORKGROUP}
override N0: u32;
override M: u32;
override B: u32;
override NE: u32;
override NK: u32;

// X1[k, j]: X, then the row of ones, then zeros.
fn x1(k: u32, j: u32) -> f32 {
  if (k < N0) { return X[k * M + j]; }
  return select(0.0, 1.0, k == N0);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx < NE) {
    let i0 = idx * B;
    var p = S[idx] * (B + 1u);
    for (var k = 0u; k < N0; k++) {
      var any = false;
      for (var c = 0u; c < B && i0 + c < M; c++) { any = any || X[k * M + order[i0 + c]] != 0.0; }
      if (any) {
        byExamples[p] = k;
        for (var c = 0u; c < B; c++) { byExamples[p + 1u + c] = select(0u, bitcast<u32>(X[k * M + order[min(i0 + c, M - 1u)]]), i0 + c < M); }
        p += B + 1u;
      }
    }
  } else if (idx < NE + NK) {
    let k0 = (idx - NE) * B;
    var p = S[NE + 1u + idx - NE] * (B + 1u);
    for (var j = 0u; j < M; j++) {
      var any = false;
      for (var c = 0u; c < B; c++) { any = any || x1(k0 + c, j) != 0.0; }
      if (any) {
        byRows[p] = j;
        for (var c = 0u; c < B; c++) { byRows[p + 1u + c] = bitcast<u32>(x1(k0 + c, j)); }
        p += B + 1u;
      }
    }
  }
}
`;
