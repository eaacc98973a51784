// The layout every kernels.ts kernel gets comes from its own WGSL declarations.
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingKinds } from './pipelines.ts';

const SHADERS = join(dirname(fileURLToPath(import.meta.url)), '../../shaders');

test('bindingKinds reads uniform, read and read_write bindings in order, `var<storage>` as read', () => {
  const code = [
    '@group(0) @binding(2) var<storage, read_write> out: array<f32>;',
    '@group(0) @binding(0) var<uniform> dims: Dims;',
    '@group(0) @binding(1) var<storage> a: array<f32>;',
    '@group(0)   @binding(3)   var<storage,read> b: array<vec4f>;',
  ].join('\n');
  expect(bindingKinds({ name: 't', code })).toEqual(['uniform', 'read', 'read_write', 'read']);
});

test('bindingKinds refuses a gap in the binding numbers, naming the kernel and the binding', () => {
  const code = '@group(0) @binding(0) var<uniform> d: D;\n@group(0) @binding(2) var<storage, read> a: array<f32>;';
  expect(() => bindingKinds({ name: 'gappy(test)', code })).toThrow('kernel "gappy(test)" declares no @binding(1) in group 0');
});

test('every plain and generated kernel declares its bindings without gaps, and one of each is what it should be', async () => {
  // The fixed kernels are modules whose default export is the WGSL text; the generated ones are files.
  const fixed: [string, string][] = [];
  for (const dir of ['', 'seed']) {
    for (const f of readdirSync(join(SHADERS, dir)).filter((f) => f.endsWith('.wgsl.ts'))) {
      const module = await import(join(SHADERS, dir, f));
      if (typeof module.default === 'string') fixed.push([join(dir, f), module.default]);
    }
  }
  expect(fixed.length, 'fixed kernels found').toBeGreaterThanOrEqual(7);
  const generated = readdirSync(join(SHADERS, 'generated')).map((f): [string, string] => [`generated/${f}`, readFileSync(join(SHADERS, 'generated', f), 'utf8')]);
  const kinds = Object.fromEntries([...fixed, ...generated].map(([f, code]) => [f, bindingKinds({ name: f, code })]));
  for (const [file, k] of Object.entries(kinds)) expect(k.length, file).toBeGreaterThan(0);
  expect(kinds['generated/sum_rows.workgroup.wgsl']).toEqual(['uniform', 'read', 'read_write']);
  expect(kinds['generated/matmul_tiled.forward.relu.vec4-both.wgsl']).toEqual(['uniform', 'read', 'read', 'read', 'read_write', 'read_write', 'read_write']);
  expect(kinds['generated/matmul_shared.dw.wgsl']).toEqual(['uniform', 'read', 'read', 'read_write']);
  expect(kinds['generated/update.adam.wgsl']).toEqual(['uniform', 'read_write', 'read', 'read_write', 'read']);
  expect(kinds['tick.wgsl.ts']).toEqual(['read_write']);
  expect(kinds['generated/penalty_gradient.wgsl']).toEqual(['uniform', 'read', 'read', 'read_write']);
});
