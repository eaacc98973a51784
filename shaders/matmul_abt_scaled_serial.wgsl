// Equations (2) and (5) when the sum is short (a mini-batch): dW = (1/m) · dZ · A_prevᵀ
//   dZ (rows, inner), A_prev (cols, inner), dW (rows, cols); inner = m, scale = 1/m
// One invocation per entry of dW sums its inner products serially, in blocks of
// BLOCK terms and then the block sums (as matmul_abt_scaled.wgsl). For short sums
// this avoids one workgroup per entry with a tree of barriers, which on SwiftShader
// costs a coroutine switch per barrier and per group of lanes (docs: README, "How a
// step flows"). Chunks accumulate: dW = beta · dW + scale · Σ (beta = 0, then 1).

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read> A_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let entry = gid.x + gid.y * nwg.x * WG;
  if (entry >= dims.rows * dims.cols) { return; }
  let i = entry / dims.cols;
  let k = entry % dims.cols;
  var sum = 0.0;
  for (var start = 0u; start < dims.inner; start += BLOCK) {
    var block = 0.0;
    let end = min(start + BLOCK, dims.inner);
    for (var j = start; j < end; j++) {
      block += dZ[i * dims.inner + j] * A_prev[k * dims.inner + j];
    }
    sum += block;
  }
  // select, not beta·dW: 0·NaN is NaN, and a stale NaN must not outlive a restart.
  let part = dims.scale * sum;
  dW[entry] = select(part, dW[entry] + part, dims.beta != 0.0);
}
