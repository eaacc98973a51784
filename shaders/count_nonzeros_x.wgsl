// The nonzero entries of the data, counted once when the tiled step is built, to
// choose between its dense and sparse kernels and to size the sparse lists:
//   counts[j]     = #{k : X[k, j] ≠ 0}   for examples j < M      (per column of X)
//   counts[M + k] = #{j : X[k, j] ≠ 0}   for input rows k < N0   (per row of X)
// X (N0, M); counts (M + N0) u32. "≠ 0" is a float comparison: −0 counts as zero,
// NaN as nonzero, so a sparse product skips exactly the terms that are ±0·w.
// One invocation per count, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> counts: array<u32>;

override WG: u32 = 64;
override N0: u32;
override M: u32;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  var n = 0u;
  if (idx < M) {
    for (var k = 0u; k < N0; k++) { n += select(0u, 1u, X[k * M + idx] != 0.0); }
  } else if (idx < M + N0) {
    let k = idx - M;
    for (var j = 0u; j < M; j++) { n += select(0u, 1u, X[k * M + j] != 0.0); }
  } else {
    return;
  }
  counts[idx] = n;
}
