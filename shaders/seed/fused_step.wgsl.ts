// The whole gradient step for a small hidden layer (n2 = 1), in one or two dispatches.
//   examples (per example j):  Z1 = W1·x_j + b1, A1 = g(Z1), z2 = W2·A1 + b2,
//                              dZ2_j = σ(z2) − y_j   (and the loss of z2 when WITH_COST)
//   units (per hidden unit i): dZ1[i,j] = W2[i]·dZ2_j·g'(A1[i,j])
//                              dW1[i,:] = (1/m) Σ_j dZ1[i,j]·x_jᵀ,  db1[i] = (1/m) Σ_j dZ1[i,j]
//                              dW2[i] = (1/m) Σ_j dZ2_j·A1[i,j],   db2 = (1/m) Σ_j dZ2_j
//                              P ← P − α·dP for unit i's parameters (status[0] = 1 if not finite)
// MODE 'one': one workgroup does both phases with barriers between (one dispatch per step).
// MODE 'examples' / 'units': the two phases as two dispatches over many workgroups.
//   X (N0, M), Y (1, M), scratch = [A1 (N1, M), dZ2 (1, M), cost parts], P and dP: param-layout.ts.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { numerics } from '../numerics.wgsl.ts';
import { headDz, sigmoidLoss } from '../heads.wgsl.ts';
import { descend } from '../updates.wgsl.ts';
import type { Activation } from '../../src/types.ts';
import { activationFunctions } from '../activations.wgsl.ts';
import { gPrimeOfA } from '../g_prime_of_a.wgsl.ts';

export interface FusedShape { n0: number; n1: number; m: number; W1: number; b1: number; W2: number; b2: number; groups: number; unitsPerGroup: number; wg: number }
export type FusedMode = 'one' | 'examples' | 'units';

export const fusedStep = (g: Activation, mode: FusedMode, s: FusedShape): string => wgsl`
const N0 = ${s.n0}u; const N1 = ${s.n1}u; const M = ${s.m}u; const WG = ${s.wg}u; const EGROUPS = ${s.groups}u; // workgroups of the examples phase
const OW1 = ${s.W1}u; const OB1 = ${s.b1}u; const OW2 = ${s.W2}u; const OB2 = ${s.b2}u;
// Phase 2 tasks: UPG units per workgroup, each split into SEG strided segments of examples.
const UPG = ${s.unitsPerGroup}u; const SEG = ${Math.max(1, Math.floor(s.wg / s.unitsPerGroup))}u; const TASKS = UPG * SEG;
const Q = N0 + 3u; // per task: dW1[i, 0..N0), db1[i], dW2[i], Σ dZ2
override WITH_COST: bool = false;

struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> dP: array<f32>;
// One scratch buffer (8 storage bindings is the default limit): A1 (N1, M), then dZ2 (1, M),
// then the examples phase's [loss, correct] per workgroup.
@group(0) @binding(5) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(6) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(7) var<storage, read_write> status: array<u32>;
const DZ2 = N1 * M; const PARTS = (N1 + 1u) * M;

var<workgroup> partial: array<f32, Q * TASKS>;
// The parameters up to b2, copied once per workgroup: every example reads all of them.
const PLEN = OB2 + 1u;
var<workgroup> wP: array<f32, PLEN>;
var<workgroup> loss: array<vec2f, WG>;

${activationFunctions(g)}
${gPrimeOfA(g)}

${numerics}
${headDz}
${sigmoidLoss}
${descend}

// Forward and dZ2 for the examples j = first, first + stride, …; the loss of each into loss[lid].
fn load_params(lid: u32) {
  for (var q = lid; q < PLEN; q += WG) { wP[q] = P[q]; }
  workgroupBarrier();
}

fn examples(lid: u32, first: u32, stride: u32) {
  var acc = vec2f(0.0);
  for (var j = first; j < M; j += stride) {
    var x: array<f32, N0>;
    for (var k = 0u; k < N0; k++) { x[k] = X[k * M + j]; }
    var z2 = wP[OB2];
    for (var i = 0u; i < N1; i++) {
      var z = wP[OB1 + i];
      for (var k = 0u; k < N0; k++) { z += wP[OW1 + i * N0 + k] * x[k]; }
      let a = g(z);
      scratch[i * M + j] = a;
      z2 += wP[OW2 + i] * a;
    }
    // Overflowed logits make the cost NaN while every parameter may be finite.
    if (!is_finite(z2)) { status[0] = 1u; }
    let y = Y[j];
    scratch[DZ2 + j] = head_dz(sigmoid(z2), y);
    if (WITH_COST) {
      acc += sigmoid_loss(z2, y);
    }
  }
  if (WITH_COST) { loss[lid] = acc; }
}

// Task t of this workgroup: unit u0 + t / SEG over the examples j ≡ t % SEG (mod SEG).
fn unit_sums(t: u32, u0: u32) {
  let i = u0 + t / SEG;
  var sums: array<f32, Q>;
  if (i < N1) {
    let w2 = wP[OW2 + i];
    for (var j = t % SEG; j < M; j += SEG) {
      let dz2 = scratch[DZ2 + j];
      let a = scratch[i * M + j];
      let dz1 = w2 * dz2 * g_prime_of_a(a);
      for (var k = 0u; k < N0; k++) { sums[k] += dz1 * X[k * M + j]; }
      sums[N0] += dz1;
      sums[N0 + 1u] += dz2 * a;
      sums[N0 + 2u] += dz2;
    }
  }
  for (var q = 0u; q < Q; q++) { partial[q * TASKS + t] = sums[q]; }
}

// Parameter q of local unit r: the mean over its SEG partial sums, then the update.
fn update(r: u32, u0: u32, q: u32) {
  let i = u0 + r;
  if (i >= N1) { return; }
  var s = 0.0;
  for (var k = 0u; k < SEG; k++) { s += partial[q * TASKS + r * SEG + k]; }
  let d = s / f32(M);
  var at = OW1 + i * N0 + q;
  if (q == N0) { at = OB1 + i; } else if (q == N0 + 1u) { at = OW2 + i; } else if (q == N0 + 2u) { at = OB2; }
  if (q == N0 + 2u && i != 0u) { return; } // db2 once, by unit 0
  dP[at] = d;
  let p = descend(P[at], step.alpha, d);
  P[at] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}

fn cost_of_group(lid: u32, wid: u32) {
  if (WITH_COST && lid == 0u) {
    var acc = vec2f(0.0);
    for (var k = 0u; k < WG; k++) { acc += loss[k]; }
    scratch[PARTS + 2u * wid] = acc.x; scratch[PARTS + 2u * wid + 1u] = acc.y;
  }
}

fn finish_cost(lid: u32, wid: u32) {
  if (WITH_COST && lid == 0u && wid == 0u) {
    var acc = vec2f(0.0);
    for (var k = 0u; k < EGROUPS; k++) { acc += vec2f(scratch[PARTS + 2u * k], scratch[PARTS + 2u * k + 1u]); }
    metrics[0] = acc.x / f32(M); metrics[1] = acc.y / f32(M);
  }
}

fn units(lid: u32, wid: u32) {
  let u0 = wid * UPG;
  for (var t = lid; t < TASKS; t += WG) { unit_sums(t, u0); }
  workgroupBarrier();
  for (var t = lid; t < UPG * Q; t += WG) { update(t / Q, u0, t % Q); }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  load_params(lid);
#if ${mode === 'one'}
  examples(lid, lid, WG);
  storageBarrier();
  workgroupBarrier();
  cost_of_group(lid, 0u);
  units(lid, 0u);
  finish_cost(lid, 0u);
#elif ${mode === 'examples'}
  examples(lid, wid.x * WG + lid, EGROUPS * WG);
  workgroupBarrier();
  cost_of_group(lid, wid.x);
#else
  units(lid, wid.x);
  finish_cost(lid, wid.x);
#endif
}
`;
