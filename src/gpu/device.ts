// Getting a GPUDevice, with typed errors for each way it can fail.
import { GpuUnavailableError } from '../errors.ts';

export interface Gpu {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** Human-readable adapter description, e.g. "google swiftshader (fallback adapter)". */
  adapterName: string;
}

export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter(
    (p, i, all) => p && all.indexOf(p) === i,
  );
  const name = parts.join(' ') || 'unknown adapter';
  return (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ||
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter
    ? `${name} (fallback adapter)`
    : name;
}

/**
 * Asks for an adapter and a device with the adapter's own storage limits (the
 * defaults, 128 MiB per binding, are lower than most GPUs allow).
 */
export async function requestGpu(options: GPURequestAdapterOptions = {}): Promise<Gpu> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    throw new GpuUnavailableError(
      'WebGPU is not available: navigator.gpu is undefined. Use a WebGPU-capable browser ' +
        '(Chrome or Edge 113+, or Chromium with --enable-unsafe-webgpu) on a page served over ' +
        'https or from localhost.',
    );
  }
  const adapter = await gpu.requestAdapter(options);
  if (!adapter) {
    throw new GpuUnavailableError(
      'WebGPU is present but requestAdapter() returned null: no suitable GPU adapter ' +
        '(the GPU may be blocklisted; try chrome://gpu, or --enable-unsafe-webgpu).',
    );
  }
  const limits = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'trainer device',
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      },
    });
  } catch (error) {
    throw new GpuUnavailableError(`requestDevice() failed: ${(error as Error).message}`);
  }
  return { device, adapter, adapterName: describeAdapter(adapter) };
}
