// What a storage load costs on this adapter: one matmul Z = W·X (W: n1 × n0, X: n0 × m,
// the shape of the MNIST network's forward pass) with the same loop and the same
// multiply-adds, reading W in different ways. Each invocation owns ROWS rows of one
// column of Z. The variants:
//   gathers      runtime-sized storage arrays, as the trainer's kernels read them
//   no W loads   the same loop with W's loads replaced by arithmetic: the floor
//   fixed-size   storage arrays declared with their length (bounds known to the compiler)
//   atomicLoad   W as atomic<u32>: SwiftShader checks at run time whether the lanes'
//                addresses are equal and then loads once (the lanes of a subgroup
//                share W's rows here)
//   workgroup    W staged in workgroup memory in chunks of KC columns, read at constant indices
//   texture      W in an rgba32float texture, four rows per texel
// All but 'no W loads' must produce the same Z (checked). Runs in the page; bench/loads-run.ts
// prints the table (`npm run bench:loads`).
import { createRng } from '../src/data/rng.ts';
import { readTensor } from '../src/gpu/readback.ts';

export const LOAD_VARIANTS = ['gathers', 'no W loads', 'fixed-size', 'atomicLoad', 'workgroup', 'texture'] as const;
export type LoadVariant = (typeof LOAD_VARIANTS)[number];

export interface LoadsConfig { n0: number; n1: number; m: number; repeats: number }
export interface LoadsRow { variant: LoadVariant; ms: number; maxRelDiff: number | null }

const ROWS = 32; // rows of Z per invocation: ROWS multiply-adds per load of X
const KC = 16; // columns of W per workgroup chunk
const WG = 64;
const lines = (n: number, f: (t: number) => string, sep = '\n  ') => Array.from({ length: n }, (_, t) => f(t)).join(sep);

function kernel(v: LoadVariant, c: LoadsConfig): string {
  const { n0, n1, m } = c;
  const fixed = v === 'fixed-size';
  const atomic = v === 'atomicLoad';
  const wDecl = atomic ? 'array<atomic<u32>>' : fixed ? `array<f32, ${n1 * n0}>` : 'array<f32>';
  const head = `
@group(0) @binding(0) var<storage, ${atomic ? 'read_write' : 'read'}> W: ${wDecl};
@group(0) @binding(1) var<storage, read> X: ${fixed ? `array<f32, ${n0 * m}>` : 'array<f32>'};
@group(0) @binding(2) var<storage, read_write> Z: ${fixed ? `array<f32, ${n1 * m}>` : 'array<f32>'};
${v === 'texture' ? '@group(0) @binding(3) var WT: texture_2d<f32>;' : ''}
${v === 'workgroup' ? `var<workgroup> wsh: array<f32, ${ROWS * KC}>;` : ''}
const N0 = ${n0}u; const M = ${m}u; const R = ${ROWS}u; const KC = ${KC}u;`;
  const store = lines(ROWS, (t) => `Z[(i0 + ${t}u) * M + j] = z${t};`);
  if (v === 'workgroup') {
    // Workgroup = WG consecutive columns of one row block.
    return `${head}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let j = min(wg.x * ${WG}u + lid, M - 1u);
  let i0 = wg.y * R;
  ${lines(ROWS, (t) => `var z${t} = 0.0;`)}
  for (var k = 0u; k < N0; k += KC) {
    ${lines((ROWS * KC) / WG, (q) => `{ let at = lid + ${q * WG}u; let kc = at / R; let r = at % R; wsh[at] = select(0.0, W[(i0 + r) * N0 + k + kc], k + kc < N0); }`)}
    workgroupBarrier();
    ${lines(KC, (kc) => `{ let x = X[min(k + ${kc}u, N0 - 1u) * M + j]; ${lines(ROWS, (t) => `z${t} += wsh[${kc * ROWS + t}] * x;`, ' ')} }`)}
    workgroupBarrier();
  }
  if (wg.x * ${WG}u + lid < M) {
  ${store}
  }
}`;
  }
  const w = (t: number) =>
    v === 'atomicLoad' ? `bitcast<f32>(atomicLoad(&W[w + ${t * n0}u]))` : `W[w + ${t * n0}u]`;
  const body =
    v === 'texture'
      ? lines(ROWS / 4, (g) => `{ let t = textureLoad(WT, vec2u(k, i0 / 4u + ${g}u), 0) * x; ${lines(4, (e) => `z${4 * g + e} += t[${e}];`, ' ')} }`, '\n    ')
      : v === 'no W loads'
        ? lines(ROWS, (t) => `z${t} = z${t} * 0.999 + x;`, '\n    ')
        : lines(ROWS, (t) => `z${t} += ${w(t)} * x;`, '\n    ');
  // Consecutive invocations take consecutive columns of one row block: a subgroup's lanes
  // read the same entries of W and neighbouring entries of X.
  return `${head}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let j = gid.x % M;
  let i0 = (gid.x / M) * R;
  if (gid.x >= M * ${n1 / ROWS}u) { return; }
  ${lines(ROWS, (t) => `var z${t} = 0.0;`)}
  for (var k = 0u; k < N0; k++) {
    let x = X[k * M + j];
    let w = i0 * N0 + k;
    ${body}
  }
  ${store}
}`;
}

/** Times each variant (median of `repeats` dispatches, each in its own submit) and checks Z against 'gathers'. */
export async function runLoads(device: GPUDevice, c: LoadsConfig, variants: readonly LoadVariant[] = LOAD_VARIANTS): Promise<LoadsRow[]> {
  if (c.n1 % ROWS !== 0) throw new Error(`n1 must be a multiple of ${ROWS}, got ${c.n1}`);
  const rng = createRng(7);
  const W = Float32Array.from({ length: c.n1 * c.n0 }, () => rng.normal());
  const X = Float32Array.from({ length: c.n0 * c.m }, () => rng.normal());
  const buffer = (data: Float32Array<ArrayBuffer> | number, usage: number) => {
    const b = device.createBuffer({ size: typeof data === 'number' ? data : data.byteLength, usage: usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    if (typeof data !== 'number') device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const Wb = buffer(W, GPUBufferUsage.STORAGE);
  const Xb = buffer(X, GPUBufferUsage.STORAGE);
  const Zb = buffer(c.n1 * c.m * 4, GPUBufferUsage.STORAGE);
  // Texel (k, g) = W[4g .. 4g+3, k].
  const texture = device.createTexture({ size: [c.n0, c.n1 / 4], format: 'rgba32float', usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST });
  const texels = new Float32Array(c.n0 * c.n1);
  for (let i = 0; i < c.n1; i++) for (let k = 0; k < c.n0; k++) texels[((i >> 2) * c.n0 + k) * 4 + (i & 3)] = W[i * c.n0 + k];
  device.queue.writeTexture({ texture }, texels, { bytesPerRow: c.n0 * 16 }, [c.n0, c.n1 / 4]);
  const readZ = () => readTensor(device, { label: 'Z', buffer: Zb, offset: 0, rows: c.n1, cols: c.m });
  const rows: LoadsRow[] = [];
  let reference: Float32Array | null = null;
  try {
    for (const v of variants) {
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ code: kernel(v, c) });
      // An explicit layout: the 'no W loads' kernel declares W without using it.
      const types: GPUBufferBindingType[] = [v === 'atomicLoad' ? 'storage' : 'read-only-storage', 'read-only-storage', 'storage'];
      const layout = device.createBindGroupLayout({
        entries: [
          ...types.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
          ...(v === 'texture' ? [{ binding: 3, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: 'unfilterable-float' as const } }] : []),
        ],
      });
      const pipeline = await device.createComputePipelineAsync({ layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module, entryPoint: 'main' } });
      const entries: GPUBindGroupEntry[] = [Wb, Xb, Zb].map((b, binding) => ({ binding, resource: { buffer: b } }));
      if (v === 'texture') entries.push({ binding: 3, resource: texture.createView() });
      const bindGroup = device.createBindGroup({ layout, entries });
      const grid = v === 'workgroup' ? [Math.ceil(c.m / WG), c.n1 / ROWS] : [Math.ceil((c.m * c.n1) / ROWS / WG), 1];
      const once = () => {
        const e = device.createCommandEncoder();
        const p = e.beginComputePass();
        p.setPipeline(pipeline);
        p.setBindGroup(0, bindGroup);
        p.dispatchWorkgroups(grid[0], grid[1]);
        p.end();
        device.queue.submit([e.finish()]);
        return device.queue.onSubmittedWorkDone();
      };
      await once(); // compile and warm
      const error = await device.popErrorScope();
      if (error) throw new Error(`${v}: ${error.message}`);
      const times: number[] = [];
      for (let r = 0; r < c.repeats; r++) {
        const t0 = performance.now();
        await once();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const z = await readZ();
      let maxRelDiff: number | null = null;
      if (v === 'gathers') reference = z;
      else if (v !== 'no W loads' && reference) {
        maxRelDiff = 0;
        for (let i = 0; i < z.length; i++) maxRelDiff = Math.max(maxRelDiff, Math.abs(z[i] - reference[i]) / (1 + Math.abs(reference[i])));
      }
      rows.push({ variant: v, ms: times[Math.floor(times.length / 2)], maxRelDiff });
    }
  } finally {
    for (const b of [Wb, Xb, Zb]) b.destroy();
    texture.destroy();
  }
  return rows;
}
