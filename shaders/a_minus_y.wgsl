// Equation (1): dZ2 = A2 − Y, exact for a sigmoid output with cross-entropy cost.
//   A, Y, dZ are (rows, cols) = (n2, m)

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dZ: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows * dims.cols) { return; }
  dZ[idx] = A[idx] - Y[idx];
}
