// The whole gradient step of a small network in one dispatch of one workgroup:
// the batch's examples, forward propagation through every layer, the head, J and
// the metric (steps that log their cost), backpropagation and the optimizer's
// update of every parameter, then the clock. Any depth (up to SMALL_MAX_LAYERS),
// hidden activations, head, optimizer and weight penalty.
//
// One kernel per head, optimizer, set of layer functions, and with or without
// penalties and batches (SmallKernel), compiled once per device: the network (its
// layers' sizes, activations and offsets), the batch and the penalties' factors come
// in the uniform `net`, so a new network or batch size reuses the pipeline (one costs
// about 1 s to compile on SwiftShader).
//
// The math has its owners: the activations (activations.wgsl.ts), the heads'
// targets and costs (heads.wgsl.ts), the update rules (updates.wgsl.ts), the
// penalties (penalty.wgsl.ts), the batch order (permutation.wgsl.ts) and the
// blocked sums (reductions.wgsl.ts). This file only orders them.
//
// Each phase spreads its outputs over the workgroup's WG invocations, four examples
// to an output (vec4s: a quarter of the loads). Layers pass through the scratch
// buffer S, (n_l, C4) vec4s per tensor, C4 = ⌈B / 4⌉ for batches of B (storage:
// SwiftShader runs plain loads faster than workgroup memory, and a GPU keeps a buffer
// this small in its caches); examples past this step's count copy example 0 and get
// dZ = 0, so no sum sees them. A storage barrier separates the phases.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { Head, OptimizerKind } from '../src/types.ts';
import { activationHelpers, activationPair, type LayerFunction } from './activations.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';
import { headColumnCost, headDz, headTarget } from './heads.wgsl.ts';
import { numerics } from './numerics.wgsl.ts';
import { penaltyTerms } from './penalty.wgsl.ts';
import { permutation } from './permutation.wgsl.ts';
import { workgroupSum } from './reductions.wgsl.ts';
import { updateRule } from './updates.wgsl.ts';

/** Most examples a small step takes: their columns' indices sit in workgroup memory (4 KB of the 16 KB every device has). */
export const SMALL_MAX_EXAMPLES = 1024;

/** Most layers (L) a small step takes: the uniform holds a record per layer. */
export const SMALL_MAX_LAYERS = 16;

/** Layer functions by number in the uniform (0: the identity, for the linear and softmax heads' layer and 'linear'). */
export const LAYER_FUNCTION_CODES: Record<LayerFunction, number> = { identity: 0, linear: 0, tanh: 1, relu: 2, 'leaky-relu': 3, sigmoid: 4 };
const CODED: [LayerFunction, number][] = [['tanh', 1], ['relu', 2], ['leaky-relu', 3], ['sigmoid', 4]];
const fnName = (a: LayerFunction) => `g_${a.replace('-', '_')}`;

/** What a small step's kernel is compiled for; everything else about the network is in its uniform. */
export interface SmallKernel {
  head: Head;
  optimizer: OptimizerKind;
  /** The layer functions the network uses (the others' code is left out: compile time). */
  functions: LayerFunction[];
  /** Weight penalties (L2, L1) in the gradient and the cost. */
  penalty: boolean;
  /** Mini-batches in their seeded order (else the full set in order). */
  batches: boolean;
}

/** The kernel's name: its pipeline is compiled once per device for each. */
export function smallKernelName(k: SmallKernel): string {
  const codes = [...new Set(k.functions.map((f) => LAYER_FUNCTION_CODES[f]))].sort();
  return `small_step(${k.head}, ${k.optimizer}, functions ${codes.join('')}${k.penalty ? ', penalty' : ''}${k.batches ? ', batches' : ''})`;
}

/** The small step's kernel (src/network/small-step.ts writes the uniform `net`). */
export function smallStep(k: SmallKernel): string {
  const { head, optimizer, penalty, batches } = k;
  const coded = CODED.filter(([, code]) => k.functions.some((used) => LAYER_FUNCTION_CODES[used] === code));
  return wgsl`${DIMS}

// Layer l + 1 of the network: n units of \`inputs\` inputs; its W and b at these offsets (floats)
// in P, its Z, A and dZ at these (vec4s) in S; g: its function (LAYER_FUNCTION_CODES).
struct Layer { n: u32, inputs: u32, w: u32, b: u32, z: u32, a: u32, dz: u32, g: u32 }

// m examples in X; S's tensors have c4 vec4 columns, the batch's X columns start at x;
// batches of \`batch\` (0: the full set in order), nb a epoch, their order's seed and
// half-bits (shuffle.ts); tick: the step counts itself on the clock; the penalties'
// factors l2 = λ2/m and l1 = λ1/m on the first \`weights\` weights (weight_at).
struct Net {
  layers: u32, m: u32, c4: u32, x: u32,
  batch: u32, nb: u32, seed: u32, h: u32,
  tick: u32, weights: u32, l2: f32, l1: f32,
  layer: array<Layer, ${SMALL_MAX_LAYERS}>,
}

// dims: rows = n (floats of one copy of the parameters), cols = this step's examples,
// inner = 1 when the step logs J and the metric, scale = α, beta1, beta2, epsilon.
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<uniform> net: Net;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read_write> P: array<f32>;
@group(0) @binding(5) var<storage, read_write> dP: array<f32>;
@group(0) @binding(6) var<storage, read_write> S: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(8) var<storage, read_write> status: array<u32>;
@group(0) @binding(9) var<storage, read_write> clock: array<u32>;

${WORKGROUP}

// The column of X and Y of the step's example j (example 0's past its count).
var<workgroup> example: array<u32, ${SMALL_MAX_EXAMPLES}>;

${numerics}
${activationHelpers('vec4f')}
${coded.map(([a]) => activationPair(a, 'vec4f', fnName(a))).join('')}
fn g_of(code: u32, z: vec4f) -> vec4f {
  switch code {
${coded.map(([a, code]) => `    case ${code}u: { return ${fnName(a)}4(z); }`).join('\n')}
    default: { return z; }
  }
}

fn g_prime_of(code: u32, z: vec4f) -> vec4f {
  switch code {
${coded.map(([a, code]) => `    case ${code}u: { return ${fnName(a)}_prime4(z); }`).join('\n')}
    default: { return vec4f(1.0); }
  }
}
${headDz}
${headTarget(head)}
${headColumnCost(head)}
${updateRule(optimizer)}
${penalty ? penaltyTerms : ''}
${batches ? permutation : ''}

fn output_layer() -> Layer {
  return net.layer[net.layers - 1u];
}

fn z_at(i: u32, j: u32) -> f32 {
  return S[output_layer().z + i * net.c4 + j / 4u][j % 4u];
}

fn y_at(i: u32, j: u32) -> f32 {
  return Y[i * net.m + example[j]];
}

// dZ = A − T for output i of the four examples of block jb; 0 past this step's count.
fn dz4(a: vec4f, i: u32, jb: u32) -> vec4f {
  let j = 4u * jb;
  let t = vec4f(target_of(i, j), target_of(i, j + 1u), target_of(i, j + 2u), target_of(i, j + 3u));
  let real = vec4u(j) + vec4u(0u, 1u, 2u, 3u) < vec4u(dims.cols);
  return select(vec4f(0.0), vec4f(head_dz(a.x, t.x), head_dz(a.y, t.y), head_dz(a.z, t.z), head_dz(a.w, t.w)), real);
}

fn all_finite(z: vec4f) -> bool {
  return is_finite(z.x) && is_finite(z.y) && is_finite(z.z) && is_finite(z.w);
}

#if ${penalty}
// The offset in P of weight t, counting every W[l]'s entries in turn (the biases carry no penalty).
fn weight_at(t: u32) -> u32 {
  var left = t;
  for (var l = 0u; l < net.layers; l++) {
    let count = net.layer[l].n * net.layer[l].inputs;
    if (left < count) { return net.layer[l].w + left; }
    left -= count;
  }
  return 0u;
}
#endif

// The cost's terms: example t's loss and metric (c = 0), weight t's penalty (c = 1).
fn term(c: u32, t: u32) -> vec2f {
#if ${penalty}
  if (c == 1u) { return vec2f(penalty_cost(P[weight_at(t)], 0.5 * net.l2, net.l1), 0.0); }
#endif
  return column_cost(t, output_layer().n);
}
${workgroupSum('vec2f')}

fn update_at(i: u32, c: vec2f) {
  let p = updated_by(i, c);
  P[i] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let t = clock[0];
  let count = dims.cols;
  let c4 = net.c4;
  // The batch of update t: batch t % nb of epoch t / nb's seeded order (batch_indices.wgsl.ts).
#if ${batches}
  let key = epoch_key(net.seed, t / net.nb);
#endif
  for (var j = lid; j < 4u * c4; j += WG) {
    // (Not select: both of its operands run, and permute_index only ends for indices it can map.)
    var at = 0u;
    if (j < count) {
      at = j;
#if ${batches}
      at = permute_index((t % net.nb) * net.batch + j, net.m, key, net.h);
#endif
    }
    example[j] = at;
  }
  workgroupBarrier();
  // The batch's columns of X, four examples to a vec4.
  let inputs = net.layer[0].inputs;
  for (var e = lid; e < inputs * c4; e += WG) {
    let row = (e / c4) * net.m;
    let j = 4u * (e % c4);
    S[net.x + e] = vec4f(X[row + example[j]], X[row + example[j + 1u]],
                         X[row + example[j + 2u]], X[row + example[j + 3u]]);
  }
  storageBarrier();

  // Forward: Z[l] = W[l]·A[l−1] + b[l], A[l] = g_l(Z[l])${head !== 'softmax' ? '; at the output, dZ = A − Y' : ''}.
  for (var l = 0u; l < net.layers; l++) {
    let layer = net.layer[l];
    let prev = select(net.layer[max(l, 1u) - 1u].a, net.x, l == 0u);
    for (var e = lid; e < layer.n * c4; e += WG) {
      let i = e / c4;
      let jb = e % c4;
      var z = vec4f(0.0);
      // Row i of W against column block jb of A[l−1], the addresses stepped (SwiftShader's compiler hoists nothing).
      var w = layer.w + i * layer.inputs;
      var at = prev + jb;
      for (var k = 0u; k < layer.inputs; k++) {
        z += P[w] * S[at];
        w += 1u;
        at += c4;
      }
      z += P[layer.b + i];
      if (!all_finite(z)) { status[0] = 1u; }
      S[layer.z + e] = z;
      let a = g_of(layer.g, z);
      S[layer.a + e] = a;
#if ${head !== 'softmax'}
      if (l + 1u == net.layers) { S[layer.dz + e] = dz4(a, i, jb); }
#endif
    }
    storageBarrier();
  }
#if ${head === 'softmax'}
  // A = softmax(Z) per example at the output (softmax_columns.wgsl.ts), dZ = A − one-hot Y.
  let out = output_layer();
  for (var jb = lid; jb < c4; jb += WG) {
    var zmax = S[out.z + jb];
    for (var i = 1u; i < out.n; i++) { zmax = max(zmax, S[out.z + i * c4 + jb]); }
    var total = vec4f(0.0);
    for (var i = 0u; i < out.n; i++) { total += exp(S[out.z + i * c4 + jb] - zmax); }
    for (var i = 0u; i < out.n; i++) {
      let a = exp(S[out.z + i * c4 + jb] - zmax) / total;
      S[out.a + i * c4 + jb] = a;
      S[out.dz + i * c4 + jb] = dz4(a, i, jb);
    }
  }
  storageBarrier();
#endif
  if (dims.inner == 1u) {
    // J = (1/count)·Σ_j loss_j + the penalties, and the metric, of the parameters before the update (cost.wgsl.ts).
    let cost = workgroup_sum(0u, lid, count);
#if ${penalty}
    let penalty = workgroup_sum(1u, lid, net.weights).x;
#else
    let penalty = 0.0;
#endif
    if (lid == 0u) {
      metrics[0] = cost.x / f32(count) + penalty;
      metrics[1] = cost.y / f32(${head === 'softmax' ? 'count' : 'count * output_layer().n'});
    }
  }

  // Backward, from the output: dW[l] = (1/count)·dZ[l]·A[l−1]ᵀ + the penalties, db[l] = (1/count)·Σ_j dZ[l],
  // dZ[l−1] = W[l]ᵀ·dZ[l] ⊙ g'(Z[l−1]), all three in one phase (each reads dZ[l] only).
  for (var l = net.layers; l > 0u; l--) {
    let layer = net.layer[l - 1u];
    let below = net.layer[max(l, 2u) - 2u];
    let prev = select(below.a, net.x, l == 1u);
    let weights = layer.n * layer.inputs;
    let grads = weights + layer.n;
    let items = grads + select(layer.inputs * c4, 0u, l == 1u);
    for (var e = lid; e < items; e += WG) {
      if (e < weights) {
        let i = e / layer.inputs;
        let k = e % layer.inputs;
        var total = vec4f(0.0);
        let dz = layer.dz + i * c4;
        let a = prev + k * c4;
        for (var jb = 0u; jb < c4; jb++) { total += S[dz + jb] * S[a + jb]; }
        dP[layer.w + e] = dot(total, vec4f(1.0)) / f32(count)${penalty ? ' + penalty_gradient(P[layer.w + e], net.l2, net.l1)' : ''};
      } else if (e < grads) {
        let i = e - weights;
        var total = vec4f(0.0);
        let dz = layer.dz + i * c4;
        for (var jb = 0u; jb < c4; jb++) { total += S[dz + jb]; }
        dP[layer.b + i] = dot(total, vec4f(1.0)) / f32(count);
      } else {
        let r = e - grads;
        let k = r / c4;
        let jb = r % c4;
        var total = vec4f(0.0);
        var w = layer.w + k;
        var dz = layer.dz + jb;
        for (var i = 0u; i < layer.n; i++) {
          total += P[w] * S[dz];
          w += layer.inputs;
          dz += c4;
        }
        S[below.dz + r] = total * g_prime_of(below.g, S[below.z + r]);
      }
    }
    storageBarrier();
  }

  // Every weight and bias by the optimizer's rule (update.wgsl.ts); the layout's padding is left alone.
  let c = corrections();
  for (var l = 0u; l < net.layers; l++) {
    let layer = net.layer[l];
    // W's entries, then b's: one call site (every call is inlined, and compiling costs).
    let weights = layer.n * layer.inputs;
    for (var e = lid; e < weights + layer.n; e += WG) {
      update_at(select(layer.b + e - weights, layer.w + e, e < weights), c);
    }
  }
  if (net.tick == 1u) {
    // The clock, once every invocation has read it.
    storageBarrier();
    if (lid == 0u) { clock[0] = t + 1u; }
  }
}
`;
}
