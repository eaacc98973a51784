// Blocked sums, one owner. A single running float32 sum over millions of terms
// drifts (examples sorted by class, say: ~1e-3 relative), so every reduction adds
// BLOCK terms at a time and then adds the block sums; across a workgroup the
// invocations' sums meet in a tree in workgroup memory.
// A kernel that includes a sum defines `fn term(c: u32, t: u32) -> T`: term t of
// the sum named by c (an entry, a row: whatever the kernel sums over). The tiled
// products keep their own vec4 accumulators and use BLOCK from here.
import { wgsl } from 'wgsl-preprocessor/wgsl-preprocessor.js';

export type SumType = 'f32' | 'vec2f';

/** Terms per block of every blocked sum. */
export const block = /* wgsl */ `
const BLOCK: u32 = 256u;
`;

/** serial_sum(c, n): Σ_{t < n} term(c, t) by one invocation, in blocks. */
export const serialSum = (T: SumType = 'f32'): string => wgsl`
${block}
fn serial_sum(c: u32, n: u32) -> ${T} {
  var sum = ${T}(0.0);
  for (var start = 0u; start < n; start += BLOCK) {
    var part = ${T}(0.0);
    let end = min(start + BLOCK, n);
    for (var t = start; t < end; t++) {
      part += term(c, t);
    }
    sum += part;
  }
  return sum;
}
`;

/**
 * workgroup_sum(c, lid, n): Σ_{t < n} term(c, t) over the workgroup (WG invocations):
 * invocation lid adds t = lid, lid + WG, … in blocks, then a tree in workgroup memory.
 * Every invocation gets the total. Call it from uniform control flow (it has barriers).
 */
export const workgroupSum = (T: SumType = 'f32'): string => wgsl`
${block}
var<workgroup> partial: array<${T}, WG>;

fn workgroup_sum(c: u32, lid: u32, n: u32) -> ${T} {
  var sum = ${T}(0.0);
  var t = lid;
  while (t < n) {
    var part = ${T}(0.0);
    for (var k = 0u; k < BLOCK && t < n; k++) {
      part += term(c, t);
      t += WG;
    }
    sum += part;
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] += partial[lid + half]; }
    workgroupBarrier();
  }
  return partial[0];
}
`;
