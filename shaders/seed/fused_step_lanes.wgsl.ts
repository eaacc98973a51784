// The whole gradient step for a small two-layer network (n2 = 1) in one dispatch
// of ONE subgroup and without a single barrier. The LANES lanes form a grid of
// U unit slices × E example slices (lane = eg·U + ug): lane (ug, eg) owns the
// hidden units in vec4 groups u ≡ ug (mod U) and takes the examples
// j ≡ eg (mod E), keeping its own running sums in registers:
//   per example j:  z1 = W1·x_j + b1,   a1 = g(z1)                (its units)
//                   z2 = W2·a1 + b2     (its units' part, then added over the U lanes of j)
//                   dz2 = σ(z2) − y_j,  dz1 = W2ᵀ·dz2 ⊙ g'(a1)   (its units)
//   lane's sums:    ΣdW1 += dz1·x_jᵀ,  Σdb1 += dz1,  ΣdW2 += dz2·a1ᵀ,  Σdb2 += dz2
//                   (and the loss max(z2,0) − z2·y + log(1 + e^−|z2|), correct ± when WITH_COST)
// then the sums are added over the E lanes that share units (subgroupShuffleXor),
// dP = (1/m)·Σ, and each lane with eg = 0 writes dP and P ← P − α·dP for its
// units (status[0] = 1 on a non-finite z2 or updated parameter). With UPDATE =
// false (and WITH_COST) it only measures J and the accuracy: the trainer's evaluation.
//
// The code is generated per shape and unrolled over a lane's unit groups and
// over inputs: on a software adapter a loop with per-lane masks costs about
// twice its straight-line body, and splitting the units over lanes keeps each
// lane's registers few (docs/PERFORMANCE.md). Units past n1 get zero weights, so they add nothing and are
// never written. With one unit slice (U = 1: n1 ≤ 16) every lane holds the same units,
// so the parameters are read and written at constant indices, without param4/update4's
// loops. LANES must not exceed the adapter's smallest subgroup, so that
// the workgroup is one subgroup and the shuffles see every lane; U divides LANES.
//   X (N0, M), Y (1, M); P and dP laid out as param-layout.ts, W1 (N1, N0) row-major.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import { numerics } from '../numerics.wgsl.ts';
import { headDz, sigmoidLoss } from '../heads.wgsl.ts';
import { descend } from '../updates.wgsl.ts';
import type { Activation } from '../../src/types.ts';
import { activationFunctions } from '../activations.wgsl.ts';
import { gPrimeOfA } from '../g_prime_of_a.wgsl.ts';

export interface LanesShape { n0: number; n1: number; m: number; lanes: number; units: number; W1: number; b1: number; W2: number; b2: number }

const each = (n: number, f: (i: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
/** xor masks that add lanes lo, 2·lo, … < hi together. */
const masks = (lo: number, hi: number) => { const out: number[] = []; for (let b = lo; b < hi; b *= 2) out.push(b); return out; };

export const fusedStepLanes = (g: Activation, s: LanesShape): string => {
  const U = s.units, E = s.lanes / s.units;
  const GL = Math.ceil(Math.ceil(s.n1 / 4) / U); // unit groups per lane
  const steps = Math.ceil(s.m / E);
  const ragged = steps * E !== s.m; // some lanes run past m on the last step
  const addOverUnits = (v: string) => masks(1, U).map((b) => `${v} += subgroupShuffleXor(${v}, ${b}u);`).join('\n    ');
  const addOverExamples = (v: string) => masks(U, s.lanes).map((b) => `${v} += subgroupShuffleXor(${v}, ${b}u);`).join('\n  ');
  const sums = (t: number) => [...Array.from({ length: s.n0 }, (_, k) => `dw1_${t}_${k}`), `db1_${t}`, `dw2_${t}`];
  // With one unit slice (U = 1) every lane's unit groups are known here: parameters are
  // read and written at constant indices (on SwiftShader one load for all lanes, no loop).
  const units = (t: number) => [0, 1, 2, 3].map((e) => 4 * t + e).filter((i) => i < s.n1);
  const param = (base: number, stride: number, t: number) =>
    U === 1 ? `vec4f(${[0, 1, 2, 3].map((e) => (4 * t + e < s.n1 ? `P[${base + (4 * t + e) * stride}u]` : '0.0')).join(', ')})` : `param4(${base}u, ${stride}u, group_${t})`;
  const update = (base: number, stride: number, t: number, d: string, p: string) =>
    U === 1
      ? units(t).map((i) => { const at = base + i * stride, e = i - 4 * t; return `{ let q = descend(${p}[${e}], step.alpha, ${d}[${e}]); dP[${at}u] = ${d}[${e}]; P[${at}u] = q;\n        bad = bad || !is_finite(q); }`; }).join('\n      ')
      : `update4(${base}u, ${stride}u, group_${t}, ${d}, ${p});`;
  return wgsl`
enable subgroups;
const M = ${s.m}u;
const N0 = ${s.n0}u;
const N1 = ${s.n1}u;
const U = ${U}u;
override WITH_COST: bool = false;
override UPDATE: bool = true;

struct Step { alpha: f32 }
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> dP: array<f32>;
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;

${activationFunctions(g)}
${activationFunctions(g, 'vec4f')}
${gPrimeOfA(g, 'vec4f')}

${numerics}
${headDz}
${sigmoidLoss}
${descend}

// P[base + i·stride] for the units i = 4·group + e, e = 0..3; zero past N1.
fn param4(base: u32, stride: u32, group: u32) -> vec4f {
  var v = vec4f(0.0);
  for (var e = 0u; e < 4u; e++) {
    let i = 4u * group + e;
    if (i < N1) { v[e] = P[base + i * stride]; }
  }
  return v;
}

// dP = d and P ← p − α·d (p as read at the start) for units 4·group + e < N1.
fn update4(base: u32, stride: u32, group: u32, d: vec4f, p: vec4f) {
  for (var e = 0u; e < 4u; e++) {
    let i = 4u * group + e;
    if (i < N1) {
      let at = base + i * stride;
      dP[at] = d[e];
      let q = descend(p[e], step.alpha, d[e]);
      P[at] = q;
      if (!is_finite(q)) { status[0] = 1u; }
    }
  }
}

@compute @workgroup_size(${s.lanes})
fn main(@builtin(subgroup_invocation_id) lane: u32) {
  let ug = lane % U;
  let eg = lane / U;
  // This lane's unit groups ug + U·t: W1[·, k] as w1_t_k, b1, W2; and b2.
  ${each(GL, (t) => `let group_${t} = ug + ${U * t}u;\n  ${each(s.n0, (k) => `let w1_${t}_${k} = ${param(s.W1 + k, s.n0, t)};`)}\n  let b1_${t} = ${param(s.b1, 1, t)};\n  let w2_${t} = ${param(s.W2, 1, t)};`)}
  let b2 = P[${s.b2}u];
  ${each(GL, (t) => sums(t).map((v) => `var ${v} = vec4f(0.0);`).join('\n  '))}
  var db2 = 0.0;
  var overflow = false;
  var loss = vec2f(0.0);
  // Uniform loop (the shuffles need every lane): example j = step·E + eg.
  for (var st = 0u; st < ${steps}u; st++) {
    let j = ${E === 1 ? 'st' : `min(st * ${E}u + eg, M - 1u)`};
    ${each(s.n0, (k) => `let x${k} = X[${k * s.m}u + j];`, '\n    ')}
    // Forward: a1 = g(W1·x + b1) for this lane's units, z2 = W2·a1 + b2 over all units.
    ${each(GL, (t) => `let a_${t} = g4(${each(s.n0, (k) => `w1_${t}_${k} * x${k}`, ' + ')} + b1_${t});`, '\n    ')}
    var z2 = ${each(GL, (t) => `dot(w2_${t}, a_${t})`, ' + ')};
    ${addOverUnits('z2')}
    z2 += b2;
    // Overflowed logits make the cost NaN while every parameter may be finite
    // (noted here, reported once after the loop: a store per example costs ~10 %).
    overflow = overflow || !is_finite(z2);
    let y = Y[j];
    ${ragged ? `let valid = st * ${E}u + eg < M; // past m: a repeat of example m − 1 that adds nothing
    let dz2 = select(0.0, head_dz(sigmoid(z2), y), valid);` : 'let dz2 = head_dz(sigmoid(z2), y);'}
    if (WITH_COST && ug == 0u${ragged ? ' && valid' : ''}) {
      loss += sigmoid_loss(z2, y);
    }
    // Backward: dz1 = W2ᵀ·dz2 ⊙ g'(a1), and this lane's sums.
    ${each(GL, (t) => `{\n      let dz1 = w2_${t} * dz2 * g_prime_of_a4(a_${t});\n      ${each(s.n0, (k) => `dw1_${t}_${k} += dz1 * x${k};`, '\n      ')}\n      db1_${t} += dz1;\n      dw2_${t} += dz2 * a_${t};\n    }`, '\n    ')}
    ${U === 1 ? 'db2 += dz2;' : 'if (ug == 0u) { db2 += dz2; }'}
  }
  // Sums over all m examples: add the E lanes that share units; those with eg = 0 update.
  if (subgroupAny(overflow) && lane == 0u) { status[0] = 1u; }
  let r = 1.0 / f32(M);
  ${each(GL, (t) => sums(t).map(addOverExamples).join('\n  '))}
  let sb2 = subgroupAdd(db2) * r;
  let sloss = subgroupAdd(loss) * r;
  if (eg == 0u && UPDATE) {
    ${U === 1 ? 'var bad = false; // a non-finite updated parameter' : ''}
    ${each(GL, (t) => `${each(s.n0, (k) => `{\n      let d = dw1_${t}_${k} * r;\n      ${update(s.W1 + k, s.n0, t, 'd', `w1_${t}_${k}`)}\n    }`, '\n    ')}\n    {\n      let d = db1_${t} * r;\n      ${update(s.b1, 1, t, 'd', `b1_${t}`)}\n    }\n    {\n      let d = dw2_${t} * r;\n      ${update(s.W2, 1, t, 'd', `w2_${t}`)}\n    }`, '\n    ')}
    ${U === 1 ? 'if (bad) { status[0] = 1u; }' : ''}
  }
  if (lane == 0u && UPDATE) {
    dP[${s.b2}u] = sb2;
    let q = descend(b2, step.alpha, sb2);
    P[${s.b2}u] = q;
    if (!is_finite(q)) { status[0] = 1u; }
  }
  if (lane == 0u && WITH_COST) { metrics[0] = sloss.x; metrics[1] = sloss.y; }
}
`;
};
