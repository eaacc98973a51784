// The cost, from the logits in a numerically stable form (ERRATA: J sums the loss):
//   J = −(1/m) Σ [y log a + (1−y) log(1−a)],  a = σ(z)
//     =  (1/m) Σ [max(z, 0) − z·y + log(1 + e^(−|z|))]
// which stays finite when a float32 σ(z) rounds to exactly 0 or 1. Also the
// accuracy: the fraction of outputs with (a > 0.5) == y, i.e. (z > 0) == (y == 1).
//   Z, Y (rows, cols) = (n2, m); metrics[0] = J, metrics[1] = accuracy.
// A single workgroup strides over all entries (adding blocks of BLOCK terms,
// then the block sums, so float32 error stays small for millions of examples),
// then reduces in workgroup memory.
// Chunks of examples accumulate: metrics = beta · metrics + this chunk's part,
// with scale = 1/m and inner = n2·m of the whole set (beta = 0, then 1).

struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;
var<workgroup> partial_loss: array<f32, WG>;
var<workgroup> partial_correct: array<u32, WG>;

// log(1 + x) for x in [0, 1]; log(1 + x) loses x entirely once x < 2^-24.
fn log1p_small(x: f32) -> f32 {
  return select(log(1.0 + x), x * (1.0 - 0.5 * x), x < 1e-4);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let count = dims.rows * dims.cols;
  var loss = 0.0;
  var correct = 0u;
  var idx = lid;
  while (idx < count) {
    var block = 0.0;
    for (var t = 0u; t < BLOCK && idx < count; t++) {
      let z = Z[idx];
      let y = Y[idx];
      block += max(z, 0.0) - z * y + log1p_small(exp(-abs(z)));
      correct += select(0u, 1u, (z > 0.0) == (y > 0.5));
      idx += WG;
    }
    loss += block;
  }
  partial_loss[lid] = loss;
  partial_correct[lid] = correct;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      partial_loss[lid] += partial_loss[lid + half];
      partial_correct[lid] += partial_correct[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    // select, not beta·metrics: 0·NaN is NaN, and a stale NaN must not stick.
    let J = dims.scale * partial_loss[0];
    let accuracy = f32(partial_correct[0]) / f32(dims.inner);
    let first = dims.beta == 0.0;
    metrics[0] = select(metrics[0] + J, J, first);
    metrics[1] = select(metrics[1] + accuracy, accuracy, first);
  }
}
