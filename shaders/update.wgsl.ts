// The update of every parameter at once, by the optimizer's rule (updates.wgsl.ts;
// ERRATA: the step uses the gradient, not the parameter):
//   P = [W1, b1, W2, b2, …] in one buffer (then v, s), dP laid out like the parameters
// rows = n, the floats of one copy of the parameters; padding between tensors has dP = 0.
// status[0] becomes 1 when an updated parameter is not finite (divergence); the
// trainer reads it once per window of steps.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';
import type { OptimizerKind } from '../src/types.ts';
import { numerics } from './numerics.wgsl.ts';
import { updateRule } from './updates.wgsl.ts';
import { DIMS, WORKGROUP } from './common.wgsl.ts';

export const updateKernelCode = (kind: OptimizerKind): string => wgsl`
${DIMS}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> dP: array<f32>;
@group(0) @binding(3) var<storage, read_write> status: array<u32>;
#if ${kind === 'adam'}
@group(0) @binding(4) var<storage, read> clock: array<u32>;
#endif

${WORKGROUP}

${numerics}
${updateRule(kind)}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= dims.rows) { return; }
  let p = updated(idx);
  P[idx] = p;
  if (!is_finite(p)) { status[0] = 1u; }
}
`;
