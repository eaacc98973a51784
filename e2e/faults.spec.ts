// GPU faults as typed errors, each produced for real in headless Chromium (no
// mocks of WebGPU itself): no navigator.gpu, no adapter, a device the adapter
// cannot give, WGSL that does not compile, a pipeline that cannot be made, a
// buffer destroyed behind the trainer's back, and readbacks whose mapAsync is
// rejected. None of them may come back as numbers.
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from '../cli/browser.ts';
import { expect, openHarness, rel, RELIABILITY_PAGE, sharedTest, test } from './fixtures/reliability-page.ts';
import type { Page } from '@playwright/test';

/** Opens the harness in a Chromium of our own, started with `args`. */
async function inBrowser<T>(args: string[], url: string, work: (page: import('playwright').Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: findChromium()!.path, args });
  try {
    const page = await browser.newPage();
    await openHarness(page, url);
    return await work(page);
  } finally {
    await browser.close();
  }
}

test.describe('getting a device', () => {
  test('no navigator.gpu (the page is not a secure context: the Vite server at 127.0.0.1 addressed as http://[::ffff:127.0.0.1]) → GpuUnavailableError saying so', async ({ baseURL }) => {
    // Chromium 156 keeps navigator.gpu on secure pages even without
    // --enable-unsafe-webgpu and with --disable-features=WebGPU or
    // --disable-blink-features=WebGPU; what removes it is an insecure context.
    // The IPv4-mapped IPv6 form of 127.0.0.1 reaches the same server but is not
    // "localhost" to Chromium, so the page is plain http.
    const insecure = new URL(RELIABILITY_PAGE, baseURL!.replace('127.0.0.1', '[::ffff:127.0.0.1]')).href;
    const r = await inBrowser(chromiumArgs(), insecure, async (page) => ({
      env: await rel(page, 'environment'),
      error: await rel(page, 'tryRequestGpu', {}),
    }));
    expect(r.env).toEqual({ secure: false, hasGpu: false });
    expect(r.error).toMatch(/^GpuUnavailableError: WebGPU is not available: navigator\.gpu is undefined\. This page is not a secure context\./);
  });

  test('Chromium started without --enable-unsafe-webgpu: navigator.gpu is there but requestAdapter() resolves null → GpuUnavailableError', async ({ baseURL }) => {
    const r = await inBrowser(chromiumArgs({ webgpu: false }), new URL(RELIABILITY_PAGE, baseURL!).href, async (page) => ({
      env: await rel(page, 'environment'),
      error: await rel(page, 'tryRequestGpu', {}),
    }));
    expect(r.env).toEqual({ secure: true, hasGpu: true });
    expect(r.error).toMatch(/^GpuUnavailableError: WebGPU is present but requestAdapter\(\) returned null/);
  });

  test('requestAdapter({ featureLevel: "webgpu-9" }) (an unknown feature level) resolves null → GpuUnavailableError', async ({ harness }) => {
    const error = await rel(harness, 'tryRequestGpu', { featureLevel: 'webgpu-9' });
    expect(error).toMatch(/^GpuUnavailableError: WebGPU is present but requestAdapter\(\) returned null/);
    expect(await rel(harness, 'tryRequestGpu', {})).toMatch(/^ok: google swiftshader/);
  });

  test('requestDevice refused: a limit above the adapter\'s, an unknown limit, an unknown feature, an unsupported feature → GpuUnavailableError naming it', async ({ harness }) => {
    expect(await rel(harness, 'tryRequestGpu', { limitAboveAdapter: 'maxComputeWorkgroupSizeX' })).toMatch(
      /^GpuUnavailableError: requestDevice\(\) failed: .*\(maxComputeWorkgroupSizeX \d+ requested, the adapter allows \d+\)$/s,
    );
    expect(await rel(harness, 'tryRequestGpu', { requiredLimits: { maxFooBar: 1 } })).toMatch(
      /^GpuUnavailableError: requestDevice\(\) failed: .*\(limit maxFooBar is unknown to this browser\)$/s,
    );
    expect(await rel(harness, 'tryRequestGpu', { requiredFeatures: ['no-such-feature' as GPUFeatureName] })).toMatch(
      /^GpuUnavailableError: requestDevice\(\) failed: .*'no-such-feature'.*\(feature "no-such-feature" is not supported by this adapter\)$/s,
    );
    // SwiftShader has no shader-f16 (shared/PITFALLS.md).
    expect(await rel(harness, 'tryRequestGpu', { requiredFeatures: ['shader-f16'] })).toMatch(
      /^GpuUnavailableError: requestDevice\(\) failed: .*\(feature "shader-f16" is not supported by this adapter\)$/s,
    );
  });
});

test.describe('kernels and pipelines', () => {
  test('broken WGSL → ShaderCompileError with the kernel name, line 5, column 13 and the compiler message', async ({ harness }) => {
    const code = [
      'override WG: u32 = 64;',
      '@group(0) @binding(0) var<storage, read_write> A: array<f32>;',
      '@compute @workgroup_size(WG)',
      'fn main(@builtin(global_invocation_id) id: vec3u) {',
      '  A[id.x] = undefined_thing * 2.0;',
      '}',
    ].join('\n');
    const r = await rel(harness, 'compileBroken', { name: 'broken_kernel(test)', code });
    expect(r.kernel).toBe('broken_kernel(test)');
    // Line 5 is "  A[id.x] = undefined_thing * 2.0;"; the name starts at column 13 (1-based).
    expect(r.messages).toEqual([{ line: 5, column: 13, message: "unresolved value 'undefined_thing'" }]);
    expect(r.error).toBe(
      'ShaderCompileError: WGSL kernel "broken_kernel(test)" failed to compile: broken_kernel(test):5:13: unresolved value \'undefined_thing\'',
    );
  });

  test('valid WGSL that cannot make the pipeline (no `override WG` for the workgroup-size constant) → GpuValidationError naming the kernel', async ({ harness }) => {
    const code = '@compute @workgroup_size(64)\nfn main() {}\n';
    expect(await rel(harness, 'pipelineInvalid', { name: 'no_override(test)', code })).toMatch(
      /^GpuValidationError: pipeline for kernel "no_override\(test\)" failed: /,
    );
  });
});

// Each of these faults a device and a trainer of its own: one harness page per worker serves them all
// (a late rejection from one would still fail the next: the page's errors are checked after each).
sharedTest.describe('faults while a trainer runs (each on a device of its own)', () => {
  sharedTest('X destroyed behind the trainer\'s back, then train() → GpuValidationError from the step\'s error scope, not a cost; the window still in flight leaves no unhandled rejection', async ({ harness }) => {
    expect(await rel(harness as Page, 'destroyedBuffer', { buffer: 'X', op: 'train' })).toMatch(/^GpuValidationError: WebGPU validation error while training: /);
    // The next window's readback was already in flight and rejects too; the
    // fixture fails the test if that became an unhandled rejection (it did
    // before src/trainer.ts caught `done`).
    await new Promise((r) => setTimeout(r, 300));
  });

  for (const op of ['predict', 'evaluate', 'getParameters'] as const) {
    sharedTest(`parameters buffer destroyed behind the trainer's back, then ${op}() → GpuValidationError, not stale numbers`, async ({ harness }) => {
      // Without an error scope around the submit and the readback copy, the
      // failed copy leaves a staging buffer of zeros that came back as numbers.
      expect(await rel(harness as Page, 'destroyedBuffer', { buffer: 'P', op })).toMatch(/^GpuValidationError: /);
    });
  }

  for (const op of ['predict', 'evaluate', 'evaluate(data)', 'getParameters', 'train'] as const) {
    sharedTest(`device.destroy() while ${op}() waits for its readback → DeviceLostError, never numbers`, async ({ harness }) => {
      expect(await rel(harness as Page, 'deviceDestroyedDuring', op)).toMatch(/^DeviceLostError: the GPU device was lost \(destroyed\)/);
    });
  }

  for (const op of ['predict', 'evaluate', 'getParameters', 'train'] as const) {
    sharedTest(`mapAsync rejected (staging buffer destroyed while mapping) during ${op}() → a GpuError subclass, not a raw AbortError`, async ({ harness }) => {
      expect(await rel(harness as Page, 'stagingDestroyedDuring', op)).toMatch(/^Gpu\w*Error: /);
    });
  }
});
