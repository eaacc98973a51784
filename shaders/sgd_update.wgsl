// The gradient-descent update for every parameter at once (ERRATA: the step uses
// the gradient, not the parameter):
//   P ← P − α · dP        P = [W1, b1, W2, b2] in one buffer, dP laid out the same
// rows = number of floats, scale = α. Padding between tensors has dP = 0.
// status[0] becomes 1 when an updated parameter is not finite (divergence); the
// trainer reads it once per window of steps. WGSL may assume finite math, so the
// test looks at the exponent bits rather than using isNan-style comparisons.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> dP: array<f32>;
@group(0) @binding(3) var<storage, read_write> status: array<u32>;

override WG: u32 = 64;

fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows) { return; }
  let p = P[idx] - dims.scale * dP[idx];
  P[idx] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}
