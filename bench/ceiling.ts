// What this adapter can do at all: the matmul of bench/loads.ts (128×784 by 784×2,000,
// the MNIST forward's shape) with its weight loads removed, the same loop and
// multiply-adds. No kernel that loads both operands can beat it, so the benchmark
// reports each GFLOP/s as a fraction of it (`npm run bench:loads` shows the other ways
// of reading W beside it).
import { runLoads } from './loads.ts';
import type { Ceiling } from './report.ts';

const SHAPE = { n0: 784, n1: 128, m: 2000 };

export async function measureCeiling(device: GPUDevice, repeats = 5): Promise<Ceiling> {
  const [row] = await runLoads(device, { ...SHAPE, repeats }, ['no W loads']);
  const flops = 2 * SHAPE.n0 * SHAPE.n1 * SHAPE.m;
  return { gflops: flops / (row.ms / 1000) / 1e9, ms: row.ms, shape: `${SHAPE.n1}×${SHAPE.n0} by ${SHAPE.n0}×${SHAPE.m}, no loads of W` };
}
