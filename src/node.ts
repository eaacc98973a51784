/// <reference types="@webgpu/types" preserve="true" />
// The library in Node.js: everything src/index.ts exports, with requestGpu() on
// Dawn (the `webgpu` package) instead of navigator.gpu. The package's "node"
// export condition points here, so `import { requestGpu, Trainer } from '<package>'`
// works the same in a page and in a script.
import { requestGpuFrom, type Gpu, type GpuOptions } from './gpu/device.ts';
import { nodeGpu, type NodeDriver } from './gpu/node-gpu.ts';

export * from './index.ts';
export { DRIVER_ENV, type NodeDriver } from './gpu/node-gpu.ts';

/**
 * An adapter and device from Dawn: the system's GPU through Vulkan (Linux), Metal
 * or D3D12, else Chromium's SwiftShader driver on the CPU (src/gpu/node-gpu.ts).
 * `driver` says which was used.
 */
export async function requestGpu(options: GpuOptions = {}): Promise<Gpu & { driver: NodeDriver }> {
  const { gpu, driver } = await nodeGpu();
  return { ...(await requestGpuFrom(gpu, options)), driver };
}
