// Equations (3) and (6) when the rows are short (a mini-batch): db = (1/m) · Σ_j dZ[:, j]
//   dZ (rows, cols), db (rows, 1); cols = m, scale = 1/m
// One invocation per row sums it serially, in blocks of BLOCK terms and then the
// block sums (as sum_rows.wgsl, which spreads a long row over a workgroup): for
// short rows this avoids the workgroup's tree of barriers (matmul_abt_scaled_serial.wgsl
// says why that matters on SwiftShader). Chunks accumulate: db = beta · db + scale · Σ.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * nwg.x * WG;
  if (row >= dims.rows) { return; }
  var sum = 0.0;
  for (var start = 0u; start < dims.cols; start += BLOCK) {
    var block = 0.0;
    let end = min(start + BLOCK, dims.cols);
    for (var j = start; j < end; j++) {
      block += dZ[row * dims.cols + j];
    }
    sum += block;
  }
  // select, not beta·db: 0·NaN is NaN, and a stale NaN must not outlive a restart.
  let part = dims.scale * sum;
  db[row] = select(part, db[row] + part, dims.beta != 0.0);
}
