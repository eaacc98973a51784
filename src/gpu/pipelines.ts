// Compiles each WGSL kernel once per device and variant. Compile errors become a
// ShaderCompileError naming the kernel, line and column (from getCompilationInfo),
// not a console line followed by wrong numbers.
import { GpuValidationError, ShaderCompileError } from '../errors.ts';
import { WORKGROUP_SIZE } from './constants.ts';

export interface KernelSource {
  /** Names the kernel and its variant, e.g. "forward_layer(tanh)". Also the cache key. */
  name: string;
  code: string;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** When set (e.g. from the console), every compiled kernel's source is printed. */
export const debugFlags = { printShaders: false };

export function getPipeline(device: GPUDevice, source: KernelSource): Promise<GPUComputePipeline> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  let pipeline = perDevice.get(source.name);
  if (!pipeline) {
    pipeline = compile(device, source);
    perDevice.set(source.name, pipeline);
    // A failed compile must not stay cached: the next caller gets the error afresh.
    pipeline.catch(() => perDevice!.delete(source.name));
  }
  return pipeline;
}

async function compile(device: GPUDevice, source: KernelSource): Promise<GPUComputePipeline> {
  if (debugFlags.printShaders) console.log(`// ${source.name}\n${source.code}`);
  const module = device.createShaderModule({ label: source.name, code: source.code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new ShaderCompileError(
      source.name,
      errors.map((m) => ({ line: m.lineNum, column: m.linePos, message: m.message })),
    );
  }
  try {
    return await device.createComputePipelineAsync({
      label: source.name,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants: { WG: WORKGROUP_SIZE } },
    });
  } catch (error) {
    throw new GpuValidationError(`pipeline for kernel "${source.name}" failed: ${(error as Error).message}`);
  }
}
