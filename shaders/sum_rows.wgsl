// Equations (3) and (6): db = (1/m) · Σ_j dZ[:, j]   (np.sum(dZ, axis=1, keepdims=True))
//   dZ (rows, cols), db (rows, 1); cols = m, scale = 1/m
// One workgroup per row: each invocation sums a strided slice, then a tree
// reduction in workgroup memory. Strided partial sums keep float32 error small.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

override WG: u32 = 64;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  // Uniform per workgroup, so the early return keeps barriers in uniform control flow.
  let row = wid.x + wid.y * nwg.x;
  if (row >= dims.rows) { return; }
  var sum = 0.0;
  for (var j = lid; j < dims.cols; j += WG) {
    sum += dZ[row * dims.cols + j];
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] += partial[lid + half]; }
    workgroupBarrier();
  }
  if (lid == 0u) { db[row] = dims.scale * partial[0]; }
}
