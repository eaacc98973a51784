// L2 regularization's part of the cost, on the weights only (the course's):
//   J += (λ/2m)·Σ_l ‖W[l]‖²     metrics[0] += scale · Σ_i mask[i]·P[i]², scale = λ/2m
// One workgroup: blocks of BLOCK terms per invocation, then a tree in workgroup memory.

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var sum = 0.0;
  var idx = lid;
  while (idx < dims.rows) {
    var block = 0.0;
    for (var t = 0u; t < BLOCK && idx < dims.rows; t++) {
      block += mask[idx] * P[idx] * P[idx];
      idx += WG;
    }
    sum += block;
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] += partial[lid + half]; }
    workgroupBarrier();
  }
  if (lid == 0u) { metrics[0] += dims.scale * partial[0]; }
}
