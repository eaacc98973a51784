// Which examples step t's mini-batch holds (src/training/shuffle.ts, batchExamples):
//   epoch = t / nb, k = t % nb, index[j] = perm_epoch(k·B + j), j < count
// t = clock[0], the updates taken so far; nb = ⌈m / B⌉ batches per epoch; count = B,
// or m − (nb − 1)·B for the last, smaller batch (a program of its own).
import { permutation } from './permutation.wgsl.ts';
import { WORKGROUP } from './common.wgsl.ts';

export const batchIndicesCode = /* wgsl */ `
struct Batch { count: u32, m: u32, B: u32, nb: u32, seed: u32, h: u32 }

@group(0) @binding(0) var<uniform> batch: Batch;
@group(0) @binding(1) var<storage, read> clock: array<u32>;
@group(0) @binding(2) var<storage, read_write> index: array<u32>;

${WORKGROUP}

${permutation}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * WG;
  if (j >= batch.count) { return; }
  let t = clock[0];
  let key = epoch_key(batch.seed, t / batch.nb);
  index[j] = permute_index((t % batch.nb) * batch.B + j, batch.m, key, batch.h);
}
`;
