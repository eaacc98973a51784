// The whole gradient step of a small network in one dispatch of one workgroup:
// the batch's examples, forward propagation through every layer, the head, J and
// the metric (steps that log their cost), backpropagation and the optimizer's
// update of every parameter, then the clock. Any depth, hidden activations, head,
// optimizer and weight penalty; the network's shapes are constants of the generated
// code (one kernel per trainer), so every loop bound is known to the compiler.
//
// The math has its owners: the activations (activations.wgsl.ts), the heads'
// targets and costs (heads.wgsl.ts), the update rules (updates.wgsl.ts), the
// penalties (penalty.wgsl.ts), the batch order (permutation.wgsl.ts) and the
// blocked sums (reductions.wgsl.ts). This file only orders them.
//
// Each phase spreads its outputs over the workgroup's WG invocations, four examples
// to an output (vec4s: a quarter of the loads). Layers pass through the scratch
// buffer S, (n_l, C4) vec4s per tensor, C4 = ⌈count / 4⌉ (storage: SwiftShader runs
// plain loads faster than workgroup memory, and a GPU keeps a buffer this small in its
// caches); examples past count in the last vec4 copy example 0 and get dZ = 0, so no
// sum sees them. A storage barrier separates the phases.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Activation, Head, OptimizerKind } from '../src/types.ts';
import { activationHelpers, activationPair } from './activations.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';
import { headColumnCost, headDz, headTarget } from './heads.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { penaltyTerms } from './penalty.wgsl.ts';
import { permutation } from './permutation.wgsl.ts';
import { workgroupSum } from './reductions.wgsl.ts';
import { updateRule } from './updates.wgsl.ts';

export interface SmallStepShape {
  /** Layer sizes [n0, n1, …, nL]. */
  sizes: number[];
  /** The hidden layers' activations, hidden[l − 1] for layer l < L. */
  hidden: Activation[];
  head: Head;
  optimizer: OptimizerKind;
  /** Offsets (floats) of W[l] and b[l] in P; index 0 unused. */
  W: number[];
  b: number[];
  /** Examples in X and Y (their columns). */
  m: number;
  /** Examples this step: the batch size, the last batch's, or m. */
  count: number;
  /** Mini-batches: B per batch, nb batches per epoch, the order's seed and half-bits (shuffle.ts); null: the full set in order. */
  batch: { B: number; nb: number; seed: number; h: number } | null;
  /** The penalties' factors: L2's and L1's for the gradient (λ2/m, λ1/m) and the cost (λ2/2m, λ1/m); null without. */
  penalty: { gradient: [number, number]; cost: [number, number] } | null;
  /** Whether the step counts itself on the clock (batches and Adam read it). */
  tick: boolean;
  /** Offsets (vec4s) in S of the batch's X columns, and of Z[l], A[l] and dZ[l] (index 0 unused), each (n_l, ⌈count / 4⌉). */
  X: number;
  Z: number[];
  A: number[];
  dZ: number[];
}

const f32 = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));
const isPowerOfTwo = (d: number) => (d & (d - 1)) === 0;
/** e / d and e % d for a constant d: a shift and a mask where d is a power of two (a compiler without strength reduction still gets them). */
const div = (e: string, d: number) => (isPowerOfTwo(d) ? `(${e} >> ${Math.log2(d)}u)` : `(${e} / ${d}u)`);
const mod = (e: string, d: number) => (isPowerOfTwo(d) ? `(${e} & ${d - 1}u)` : `(${e} % ${d}u)`);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The small step's kernel for one network and step shape. */
export function smallStep(s: SmallStepShape): string {
  const L = s.sizes.length - 1;
  const n = s.sizes;
  const layers = Array.from({ length: L }, (_, i) => i + 1);
  const kinds = [...new Set(s.hidden)];
  const g = (l: number) => `g_${s.hidden[l - 1].replace('-', '_')}`;
  const weights = layers.map((l) => n[l] * n[l - 1]);
  const prev = (l: number) => (l === 1 ? 'XB' : `A${l - 1}`);
  const p = s.penalty;
  const c4 = Math.ceil(s.count / 4);
  return wgsl`${DIMS}

// dims: rows = n (floats of one copy of the parameters), scale = α, beta1, beta2, epsilon.
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> dP: array<f32>;
@group(0) @binding(5) var<storage, read_write> S: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(7) var<storage, read_write> status: array<u32>;
@group(0) @binding(8) var<storage, read_write> clock: array<u32>;

${WORKGROUP}
// 1: J and the metric of the parameters before the update go to metrics.
override WITH_COST: u32 = 0u;

// The network [${n.join(', ')}], ${s.hidden.join(', ') || 'no hidden layer'}, ${s.head} head; ${s.count} of ${s.m} examples a step.
const M: u32 = ${s.m}u;
const COUNT: u32 = ${s.count}u;
const C4: u32 = ${Math.ceil(s.count / 4)}u;
const N0: u32 = ${n[0]}u;
const XB: u32 = ${s.X}u;
// Layer l: N units; W and b at these offsets (floats) in P; Z, A and dZ at these (vec4s) in S.
${layers.map((l) => `const N${l}: u32 = ${n[l]}u;  const W${l}: u32 = ${s.W[l]}u;  const B${l}: u32 = ${s.b[l]}u;
const Z${l}: u32 = ${s.Z[l]}u;  const A${l}: u32 = ${s.A[l]}u;  const DZ${l}: u32 = ${s.dZ[l]}u;`).join('\n')}
#if ${s.batch !== null}
const B: u32 = ${s.batch?.B ?? 0}u;
const NB: u32 = ${s.batch?.nb ?? 0}u;
const SEED: u32 = ${s.batch?.seed ?? 0}u;
const H: u32 = ${s.batch?.h ?? 0}u;
#endif

// The column of X and Y of the step's example j (example 0's past COUNT).
var<workgroup> example: array<u32, ${4 * Math.ceil(s.count / 4)}>;

${numerics}
${activationHelpers('vec4f')}
${kinds.map((a) => activationPair(a, 'vec4f', `g_${a.replace('-', '_')}`)).join('')}
${headDz}
${headTarget(s.head)}
${headColumnCost(s.head)}
${updateRule(s.optimizer)}
${p ? penaltyTerms : ''}
${s.batch ? permutation : ''}

fn z_at(i: u32, j: u32) -> f32 {
  return S[Z${L} + i * C4 + j / 4u][j % 4u];
}

fn y_at(i: u32, j: u32) -> f32 {
  return Y[i * M + example[j]];
}

// dZ = A − T for output i of the four examples of block jb; 0 past COUNT.
fn dz4(a: vec4f, i: u32, jb: u32) -> vec4f {
  let j = 4u * jb;
  let t = vec4f(target_of(i, j), target_of(i, j + 1u), target_of(i, j + 2u), target_of(i, j + 3u));
  let real = vec4u(j) + vec4u(0u, 1u, 2u, 3u) < vec4u(COUNT);
  return select(vec4f(0.0), vec4f(head_dz(a.x, t.x), head_dz(a.y, t.y), head_dz(a.z, t.z), head_dz(a.w, t.w)), real);
}

fn all_finite(z: vec4f) -> bool {
  return is_finite(z.x) && is_finite(z.y) && is_finite(z.z) && is_finite(z.w);
}

// The cost's terms: example t's loss and metric (c = 0), weight t's penalty (c = 1).
fn term(c: u32, t: u32) -> vec2f {
#if ${p !== null}
  if (c == 1u) { return vec2f(penalty_cost(P[weight_at(t)], ${f32(p?.cost[0] ?? 0)}, ${f32(p?.cost[1] ?? 0)}), 0.0); }
#endif
  return column_cost(t, N${L});
}
${workgroupSum('vec2f')}
#if ${p !== null}
// The offset in P of weight t, counting every W[l]'s entries in turn (the biases carry no penalty).
fn weight_at(t: u32) -> u32 {
${layers.map((l) => `  if (t < ${sum(weights.slice(0, l))}u) { return W${l} + t - ${sum(weights.slice(0, l - 1))}u; }`).join('\n')}
  return 0u;
}
#endif

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let t = clock[0];
#if ${s.batch !== null}
  // The batch of update t: batch t % NB of epoch t / NB's seeded order (batch_indices.wgsl.ts).
  let key = epoch_key(SEED, t / NB);
  for (var j = lid; j < 4u * C4; j += WG) {
    example[j] = select(0u, permute_index((t % NB) * B + j, M, key, H), j < COUNT);
  }
#else
  for (var j = lid; j < 4u * C4; j += WG) { example[j] = select(0u, j, j < COUNT); }
#endif
  workgroupBarrier();
  // The batch's columns of X, four examples to a vec4.
  for (var e = lid; e < N0 * C4; e += WG) {
    let k = ${div('e', c4)};
    let j = 4u * ${mod('e', c4)};
    let row = k * M;
    S[XB + e] = vec4f(X[row + example[j]], X[row + example[j + 1u]],
                      X[row + example[j + 2u]], X[row + example[j + 3u]]);
  }
  storageBarrier();
${layers.map((l) => `
  // Z${l} = W${l}·${l === 1 ? 'X' : `A${l - 1}`} + b${l}, A${l} = ${l < L ? `${s.hidden[l - 1]}(Z${l})` : s.head === 'sigmoid' ? `σ(Z${l})` : `Z${l}`}${l === L && s.head !== 'softmax' ? `, dZ${l} = A${l} − Y` : ''}
  for (var e = lid; e < N${l} * C4; e += WG) {
    let i = ${div('e', c4)};
    let jb = ${mod('e', c4)};
    var z = vec4f(0.0);
    for (var k = 0u; k < N${l - 1}; k++) { z += P[W${l} + i * N${l - 1} + k] * S[${prev(l)} + k * C4 + jb]; }
    z += P[B${l} + i];
    if (!all_finite(z)) { status[0] = 1u; }
    S[Z${l} + e] = z;
${l < L ? `    S[A${l} + e] = ${g(l)}4(z);` : `    let a = ${s.head === 'sigmoid' ? 'sigmoid4(z)' : 'z'};
    S[A${l} + e] = a;${s.head !== 'softmax' ? `
    S[DZ${l} + e] = dz4(a, i, jb);` : ''}`}
  }
  storageBarrier();`).join('\n')}
#if ${s.head === 'softmax'}
  // A${L} = softmax(Z${L}) per example (softmax_columns.wgsl.ts), dZ${L} = A${L} − one-hot Y.
  for (var jb = lid; jb < C4; jb += WG) {
    var zmax = S[Z${L} + jb];
    for (var i = 1u; i < N${L}; i++) { zmax = max(zmax, S[Z${L} + i * C4 + jb]); }
    var total = vec4f(0.0);
    for (var i = 0u; i < N${L}; i++) { total += exp(S[Z${L} + i * C4 + jb] - zmax); }
    for (var i = 0u; i < N${L}; i++) {
      let a = exp(S[Z${L} + i * C4 + jb] - zmax) / total;
      S[A${L} + i * C4 + jb] = a;
      S[DZ${L} + i * C4 + jb] = dz4(a, i, jb);
    }
  }
  storageBarrier();
#endif
  if (WITH_COST == 1u) {
    // J = (1/COUNT)·Σ_j loss_j (+ the penalties), and the metric, of the parameters before the update (cost.wgsl.ts).
    let cost = workgroup_sum(0u, lid, COUNT);
#if ${p !== null}
    let penalty = workgroup_sum(1u, lid, ${sum(weights)}u);
#endif
    if (lid == 0u) {
      metrics[0] = cost.x / f32(COUNT)${p ? ' + penalty.x' : ''};
      metrics[1] = cost.y / f32(${s.head === 'softmax' ? 'COUNT' : `COUNT * N${L}`});
    }
  }
${layers.slice().reverse().map((l) => `
  // dW${l} = (1/COUNT)·dZ${l}·${l === 1 ? 'X' : `A${l - 1}`}ᵀ${p ? ' + the penalties' : ''}, db${l} = (1/COUNT)·Σ_j dZ${l}${l > 1 ? `, dZ${l - 1} = W${l}ᵀ·dZ${l} ⊙ ${s.hidden[l - 2]}'(Z${l - 1})` : ''}
  for (var e = lid; e < ${l > 1 ? `N${l} * N${l - 1} + N${l} + N${l - 1} * C4` : `N${l} * N${l - 1} + N${l}`}; e += WG) {
    if (e < N${l} * N${l - 1}) {
      let i = ${div('e', n[l - 1])};
      let k = ${mod('e', n[l - 1])};
      var total = vec4f(0.0);
      for (var jb = 0u; jb < C4; jb++) { total += S[DZ${l} + i * C4 + jb] * S[${prev(l)} + k * C4 + jb]; }
      dP[W${l} + e] = dot(total, vec4f(1.0)) / f32(COUNT)${p ? ` + penalty_gradient(P[W${l} + e], ${f32(p.gradient[0])}, ${f32(p.gradient[1])})` : ''};
    } else if (e < N${l} * N${l - 1} + N${l}) {
      let i = e - N${l} * N${l - 1};
      var total = vec4f(0.0);
      for (var jb = 0u; jb < C4; jb++) { total += S[DZ${l} + i * C4 + jb]; }
      dP[B${l} + i] = dot(total, vec4f(1.0)) / f32(COUNT);
    }${l > 1 ? ` else {
      let r = e - N${l} * N${l - 1} - N${l};
      let k = ${div('r', c4)};
      let jb = ${mod('r', c4)};
      var total = vec4f(0.0);
      for (var i = 0u; i < N${l}; i++) { total += P[W${l} + i * N${l - 1} + k] * S[DZ${l} + i * C4 + jb]; }
      S[DZ${l - 1} + r] = total * ${g(l - 1)}_prime4(S[Z${l - 1} + r]);
    }` : ''}
  }
  storageBarrier();`).join('\n')}

  // Every weight and bias by the optimizer's rule (update.wgsl.ts); the layout's padding is left alone.
  let c = corrections();
${layers.map((l) => `  for (var i = lid; i < N${l} * N${l - 1}; i += WG) { update_at(W${l} + i, c); }
  for (var i = lid; i < N${l}; i += WG) { update_at(B${l} + i, c); }`).join('\n')}
#if ${s.tick}
  // The clock, once every invocation has read it.
  storageBarrier();
  if (lid == 0u) { clock[0] = t + 1u; }
#endif
}

fn update_at(i: u32, c: vec2f) {
  let p = updated_by(i, c);
  P[i] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}
`;
}
