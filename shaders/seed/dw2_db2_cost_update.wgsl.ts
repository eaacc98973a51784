// Equations (2) and (3) for the output layer (n2 = 1), the cost, and their update:
//   dW2[i] = (1/m)·Σ_j dZ2_j·A1[i, j],  db2 = (1/m)·Σ_j dZ2_j    A1 (N1, M4), M4 ≥ M; E (3, M) from output_layer_dz
//   W2 ← W2 − α·dW2,  b2 ← b2 − α·db2
//   when WITH_COST: J = (1/m)·Σ_j loss_j, accuracy = (1/m)·Σ_j correct_j  into metrics[0], metrics[1]
//   UPDATE = false: the cost only (the trainer's evaluation), no gradient, no update.
// One invocation per sum: rows 0..N1−1 are dW2, row N1 is db2, rows N1+1 and N1+2
// the cost and the accuracy, each a blocked sum (reductions.wgsl.ts).
// status[0] = 1 when an updated parameter is not finite.
import { numerics } from '../numerics.wgsl.ts';
import { serialSum } from '../reductions.wgsl.ts';
import { descend } from '../updates.wgsl.ts';
import { WORKGROUP } from '../common.wgsl.ts';

export const dw2Db2CostUpdate = /* wgsl */ `
struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> A1: array<f32>;
@group(0) @binding(2) var<storage, read> E: array<f32>;
@group(0) @binding(3) var<storage, read_write> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> dP: array<f32>;
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;

${WORKGROUP}
override N1: u32;
override M: u32;
override M4: u32; // row length of A1: m rounded up to whole vec4s
override OW2: u32; // offsets of W2 and b2 in P (and dW2, db2 in dP), in floats
override OB2: u32;
override WITH_COST: bool = false;
override UPDATE: bool = true;

${numerics}
${descend}

${serialSum()}
// Term j of sum r: dZ2_j·A1[r, j] for r < N1, else row r − N1 of E.
fn term(r: u32, j: u32) -> f32 {
  if (r < N1) { return E[j] * A1[r * M4 + j]; }
  return E[(r - N1) * M + j];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r > N1 + 2u || (r > N1 && !WITH_COST) || (r <= N1 && !UPDATE)) { return; }
  let d = serial_sum(r, M) / f32(M);
  if (r > N1) {
    metrics[r - N1 - 1u] = d;
    return;
  }
  let at = select(OB2, OW2 + r, r < N1);
  dP[at] = d;
  let p = descend(P[at], step.alpha, d);
  P[at] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}
`;
