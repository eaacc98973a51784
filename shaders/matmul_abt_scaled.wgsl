// Equations (2) and (5): dW = (1/m) · dZ · A_prevᵀ
//   dZ (rows, inner), A_prev (cols, inner), dW (rows, cols); inner = m, scale = 1/m
// One invocation per entry of dW, summing over the m examples.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read> A_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  let i = idx / dims.cols;
  let k = idx % dims.cols;
  var sum = 0.0;
  for (var j = 0u; j < dims.inner; j++) {
    sum += dZ[i * dims.inner + j] * A_prev[k * dims.inner + j];
  }
  dW[idx] = dims.scale * sum;
}
