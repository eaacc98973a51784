// The data as two lists of its nonzero entries (made once, when the tiled step is
// built, and only when X is sparse enough; see count_nonzeros_x.wgsl):
//   byExample[S[j] .. S[j+1])         = (k, X[k, j]) for each X[k, j] ≠ 0, k ascending   (X by columns)
//   byRow[S[M+1+k] .. S[M+1+k+1])     = (j, X[k, j]) for each X[k, j] ≠ 0, j ascending   (X by rows)
//   byRow[S[M+1+N0] .. S[M+1+N0+1])   = (j, 1) for every j: the row of ones of [X; 1ᵀ]
// X (N0, M); S (M + 1 + N0 + 2) u32: the example starts, then the row starts (prefix
// sums of the counts, made on the CPU); each entry is (index, bitcast<u32>(value)).
// forward_hidden_sparse reads byExample (Z1 = W1·X + b1), dw1_db1_sparse_update
// reads byRow ([dW1 | db1] = (1/m)·dZ1·[X; 1ᵀ]ᵀ).
// One invocation per example, then one per row of [X; 1ᵀ], in a 2-D grid when needed.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> S: array<u32>;
@group(0) @binding(2) var<storage, read_write> byExample: array<vec2u>;
@group(0) @binding(3) var<storage, read_write> byRow: array<vec2u>;

override WG: u32 = 64;
override N0: u32;
override M: u32;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx < M) {
    var p = S[idx];
    for (var k = 0u; k < N0; k++) {
      let x = X[k * M + idx];
      if (x != 0.0) { byExample[p] = vec2u(k, bitcast<u32>(x)); p++; }
    }
  } else if (idx < M + N0) {
    let k = idx - M;
    var p = S[M + 1u + k];
    for (var j = 0u; j < M; j++) {
      let x = X[k * M + j];
      if (x != 0.0) { byRow[p] = vec2u(j, bitcast<u32>(x)); p++; }
    }
  } else if (idx == M + N0) {
    let p = S[M + 1u + N0];
    for (var j = 0u; j < M; j++) { byRow[p + j] = vec2u(j, bitcast<u32>(1.0)); }
  }
}
