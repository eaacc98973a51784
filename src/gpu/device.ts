// Getting a GPUDevice, with typed errors for each way it can fail: no WebGPU in
// this page, no adapter, or a device the adapter cannot give. Every failure is a
// GpuUnavailableError whose message says which step failed and what to try.
import { GpuUnavailableError } from '../errors.ts';

export interface Gpu {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** Human-readable adapter description, e.g. "google swiftshader (fallback adapter)". */
  adapterName: string;
}

export interface GpuOptions extends GPURequestAdapterOptions {
  /**
   * Limits the device must have, on top of the adapter's storage limits that are
   * always asked for. Asking for more than the adapter has fails with a
   * GpuUnavailableError naming the limit, not with a device that silently has less.
   */
  requiredLimits?: Record<string, number>;
  /** Features the device must have (e.g. 'timestamp-query'). */
  requiredFeatures?: GPUFeatureName[];
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

/** CPU implementations of WebGPU's backends, by the names they give in adapter info. */
const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|microsoft basic render|warp/i;

/**
 * Whether a device runs on a fallback (software) adapter: the adapter info's flag where the
 * browser gives it, else a known software renderer's name. Kernel choices that differ
 * between GPUs and CPU implementations go by this (src/network/step.ts).
 */
export function isFallbackDevice(device: GPUDevice): boolean {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).adapterInfo;
  if (!info) return false;
  if (info.isFallbackAdapter) return true;
  return SOFTWARE_ADAPTERS.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** Why requestDevice refused: the requested limits and features the adapter lacks. */
function explainRefusal(adapter: GPUAdapter, limits: Record<string, number>, features: readonly string[]): string {
  const reasons: string[] = [];
  const adapterLimits = adapter.limits as unknown as Record<string, number | undefined>;
  for (const [name, value] of Object.entries(limits)) {
    const max = adapterLimits[name];
    if (max === undefined) reasons.push(`limit ${name} is unknown to this browser`);
    // "max…" limits are upper bounds; "min…Alignment" limits are lower bounds.
    else if (name.startsWith('min') ? value < max : value > max) reasons.push(`${name} ${value} requested, the adapter allows ${max}`);
  }
  for (const feature of features) {
    if (!adapter.features.has(feature)) reasons.push(`feature "${feature}" is not supported by this adapter`);
  }
  return reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
}

/**
 * Asks for an adapter and a device with the adapter's own storage limits (the
 * defaults, 128 MiB per binding, are lower than most GPUs allow), plus any
 * `requiredLimits` and `requiredFeatures`.
 */
export function requestGpu(options: GpuOptions = {}): Promise<Gpu> {
  return requestGpuFrom((globalThis.navigator as Navigator | undefined)?.gpu, options);
}

/** requestGpu on a given GPU object (navigator.gpu in a page; Dawn's in Node, src/node.ts). */
export async function requestGpuFrom(gpu: GPU | undefined, options: GpuOptions = {}): Promise<Gpu> {
  const { requiredLimits = {}, requiredFeatures = [], ...adapterOptions } = options;
  if (!gpu) {
    const insecure = globalThis.isSecureContext === false ? ' This page is not a secure context.' : '';
    throw new GpuUnavailableError(
      `WebGPU is not available: navigator.gpu is undefined.${insecure} Use a WebGPU-capable browser ` +
        '(Chrome or Edge 113+, or Chromium with --enable-unsafe-webgpu) on a page served over ' +
        'https or from localhost / 127.0.0.1.',
    );
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(adapterOptions);
  } catch (error) {
    throw new GpuUnavailableError(`requestAdapter() failed: ${(error as Error).message}`);
  }
  if (!adapter) {
    throw new GpuUnavailableError(
      'WebGPU is present but requestAdapter() returned null: no suitable GPU adapter ' +
        '(the GPU may be blocklisted or disabled; try chrome://gpu, or Chromium with --enable-unsafe-webgpu).',
    );
  }
  const limits = adapter.limits;
  const wanted: Record<string, number> = {
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    ...requiredLimits,
  };
  // timestamp-query costs nothing when unused and lets profileDispatches time kernels;
  // subgroups lets the small-network step combine its lanes without barriers (network/seed/lanes-step.ts).
  const optional = ['timestamp-query', 'subgroups'] as GPUFeatureName[];
  const features: GPUFeatureName[] = [...requiredFeatures, ...optional.filter((f) => adapter.features.has(f) && !requiredFeatures.includes(f))];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'trainer device',
      requiredLimits: wanted,
      requiredFeatures: features,
    });
  } catch (error) {
    throw new GpuUnavailableError(
      `requestDevice() failed: ${(error as Error).message}${explainRefusal(adapter, wanted, requiredFeatures)}`,
    );
  }
  return { device, adapter, adapterName: describeAdapter(adapter) };
}
