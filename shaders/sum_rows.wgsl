// Equations (3) and (6): db = (1/m) · Σ_j dZ[:, j]   (np.sum(dZ, axis=1, keepdims=True))
//   dZ (rows, cols), db (rows, 1); cols = m, scale = 1/m
// One workgroup per row: each invocation sums a strided slice, then a tree
// reduction in workgroup memory. Each invocation adds its slice in blocks of
// BLOCK terms and then adds the block sums: a single running float32 sum over
// millions of terms drifts systematically (examples sorted by class, say).
// Chunks of examples accumulate: db = beta · db + scale · Σ (beta = 0, then 1).

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  // Uniform per workgroup, so the early return keeps barriers in uniform control flow.
  let row = wid.x + wid.y * nwg.x;
  if (row >= dims.rows) { return; }
  var sum = 0.0;
  var j = lid;
  while (j < dims.cols) {
    var block = 0.0;
    for (var t = 0u; t < BLOCK && j < dims.cols; t++) {
      block += dZ[row * dims.cols + j];
      j += WG;
    }
    sum += block;
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] += partial[lid + half]; }
    workgroupBarrier();
  }
  // select, not beta·db: 0·NaN is NaN, and a stale NaN must not outlive a restart.
  if (lid == 0u) {
    let part = dims.scale * partial[0];
    db[row] = select(part, db[row] + part, dims.beta != 0.0);
  }
}
