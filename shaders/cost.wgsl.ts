// The cost J = (1/m) Σ_j loss(Z[:, j], Y[:, j]) from the logits, in the head's stable
// form (heads.wgsl.ts; ERRATA: J sums the loss), and the head's metric:
//   Z (rows, cols) = (n_L, m); metrics[0] = J, metrics[1] = Σ metric / inner
// (accuracy for the classifying heads, the mean squared error for linear).
// A single workgroup strides over the examples (adding blocks of BLOCK terms, then
// the block sums, so float32 error stays small for millions of examples), then
// reduces in workgroup memory. Chunks of examples accumulate: metrics = beta ·
// metrics + this chunk's part, with scale = 1/m and inner of the whole set.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Head } from '../src/types.ts';
import { headColumnCost } from './heads.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';

export const costKernelCode = (head: Head): string => wgsl`
struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

override WG: u32 = 64;
const BLOCK: u32 = 256u;
var<workgroup> partial_loss: array<f32, WG>;
var<workgroup> partial_metric: array<f32, WG>;

${numerics}
${headColumnCost(head)}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var loss = 0.0;
  var metric = 0.0;
  var j = lid;
  while (j < dims.cols) {
    var block = vec2f(0.0);
    for (var t = 0u; t < BLOCK && j < dims.cols; t++) {
      block += column_cost(j);
      j += WG;
    }
    loss += block.x;
    metric += block.y;
  }
  partial_loss[lid] = loss;
  partial_metric[lid] = metric;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      partial_loss[lid] += partial_loss[lid + half];
      partial_metric[lid] += partial_metric[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    // select, not beta·metrics: 0·NaN is NaN, and a stale NaN must not stick.
    let J = dims.scale * partial_loss[0];
    let m2 = partial_metric[0] / f32(dims.inner);
    let first = dims.beta == 0.0;
    metrics[0] = select(metrics[0] + J, J, first);
    metrics[1] = select(metrics[1] + m2, m2, first);
  }
}
`;
