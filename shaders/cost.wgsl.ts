// The cost J = (1/m) Σ_j loss(Z[:, j], Y[:, j]) from the logits, in the head's stable
// form (heads.wgsl.ts; ERRATA: J sums the loss), and the head's metric:
//   Z (rows, cols) = (n_L, m); metrics[0] = J, metrics[1] = Σ metric / inner
// (accuracy for the classifying heads, the mean squared error for linear).
// A single workgroup, a blocked sum over the examples (reductions.wgsl.ts). Chunks of examples accumulate: metrics = beta ·
// metrics + this chunk's part, with scale = 1/m and inner of the whole set.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Head } from '../src/types.ts';
import { headColumnCost } from './heads.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { workgroupSum } from './reductions.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const costKernelCode = (head: Head): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> metrics: array<f32>;

${WORKGROUP}

${numerics}
${headColumnCost(head)}

fn z_at(i: u32, j: u32) -> f32 {
  return Z[i * dims.cols + j];
}

fn y_at(i: u32, j: u32) -> f32 {
  return Y[i * dims.cols + j];
}

fn term(_c: u32, j: u32) -> vec2f {
  return column_cost(j, dims.rows);
}
${workgroupSum('vec2f')}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let sum = workgroup_sum(0u, lid, dims.cols);
  if (lid == 0u) {
    // select, not beta·metrics: 0·NaN is NaN, and a stale NaN must not stick.
    let J = dims.scale * sum.x;
    let m2 = sum.y / f32(dims.inner);
    let first = dims.beta == 0.0;
    metrics[0] = select(metrics[0] + J, J, first);
    metrics[1] = select(metrics[1] + m2, m2, first);
  }
}
`;
