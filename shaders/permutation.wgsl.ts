// The seeded per-epoch order of examples, computed per index: the same u32
// arithmetic as src/training/shuffle.ts (its header says why a Feistel network).
import { FEISTEL_ROUNDS } from '../src/training/shuffle.ts';

export const permutation = /* wgsl */ `
// lowbias32 (Chris Wellons): every input bit moves every output bit.
fn mix32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

fn epoch_key(seed: u32, epoch: u32) -> u32 {
  return mix32(seed ^ mix32(epoch + 0x9e3779b9u));
}

// Position i of the permutation of [0, m) keyed by key, over 2^(2h) ≥ m with cycle-walking.
fn permute_index(i: u32, m: u32, key: u32, h: u32) -> u32 {
  let mask = (1u << h) - 1u;
  var x = i;
  loop {
    var l = x >> h;
    var r = x & mask;
    for (var round = 0u; round < ${FEISTEL_ROUNDS}u; round++) {
      let f = mix32(r ^ mix32(key + round)) & mask;
      let next = l ^ f;
      l = r;
      r = next;
    }
    x = (l << h) | r;
    if (x < m) { break; }
  }
  return x;
}
`;
