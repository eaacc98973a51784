// The gradient-descent update for every parameter at once (ERRATA: the step uses
// the gradient, not the parameter):
//   P ← P − α · dP        P = [W1, b1, W2, b2] in one buffer, dP laid out the same
// rows = number of floats, scale = α. Padding between tensors has dP = 0.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> dP: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows) { return; }
  P[idx] = P[idx] - dims.scale * dP[idx];
}
