// Every kernel's pipeline: an explicit bind-group layout (so the kernels of one
// step, which may use different subsets of the bindings, can share one bind group)
// and pipeline-overridable constants. Compiled once per device, source, constants
// and layout; compile errors become a ShaderCompileError (pipelines.ts says more).
import { GpuValidationError, ShaderCompileError } from '../errors.ts';
import type { Owner } from './owner.ts';
import { binding, type Tensor } from './tensor.ts';

export type BindingKind = 'uniform' | 'read' | 'read_write';

export interface KernelSource {
  /** Names the kernel and its variant, e.g. "forward_layer(tanh)". Also the cache key. */
  name: string;
  code: string;
}

/** When set (e.g. from the console), every compiled kernel's source is printed. */
export const debugFlags = { printShaders: false };

const layouts = new WeakMap<GPUDevice, Map<string, GPUBindGroupLayout>>();
const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** One layout per device and list of binding kinds, visible to compute. */
export function bindGroupLayout(device: GPUDevice, kinds: BindingKind[]): GPUBindGroupLayout {
  let perDevice = layouts.get(device);
  if (!perDevice) layouts.set(device, (perDevice = new Map()));
  const key = kinds.join(',');
  let layout = perDevice.get(key);
  if (!layout) {
    const entries = kinds.map((kind, i): GPUBindGroupLayoutEntry => ({
      binding: i,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage' },
    }));
    layout = device.createBindGroupLayout({ label: `layout(${key})`, entries });
    perDevice.set(key, layout);
  }
  return layout;
}

export function explicitPipeline(
  device: GPUDevice,
  source: KernelSource,
  layout: GPUBindGroupLayout,
  constants: Record<string, number> = {},
): Promise<GPUComputePipeline> {
  let perDevice = pipelines.get(device);
  if (!perDevice) pipelines.set(device, (perDevice = new Map()));
  const key = `${source.name} ${JSON.stringify(constants)} ${layout.label}`;
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    pipeline = compile(device, source, layout, constants);
    perDevice.set(key, pipeline);
    pipeline.catch(() => perDevice!.delete(key));
  }
  return pipeline;
}

async function compile(device: GPUDevice, source: KernelSource, layout: GPUBindGroupLayout, constants: Record<string, number>) {
  if (debugFlags.printShaders) console.log(`// ${source.name}\n${source.code}`);
  const module = device.createShaderModule({ label: source.name, code: source.code });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new ShaderCompileError(source.name, errors.map((m) => ({ line: m.lineNum, column: m.linePos, message: m.message })));
  }
  try {
    return await device.createComputePipelineAsync({
      label: source.name,
      layout: device.createPipelineLayout({ label: source.name, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants },
    });
  } catch (error) {
    throw new GpuValidationError(`pipeline for kernel "${source.name}" failed: ${(error as Error).message}`);
  }
}

/** The `struct Step { alpha: f32 }` uniform of the fused, lanes and tiled kernels, and how to change α. */
export function stepUniform(owner: Owner, label: string, alpha: number): { buffer: GPUBuffer; setLearningRate(alpha: number): void } {
  const buffer = owner.bufferWith(`${label} α`, new Float32Array([alpha, 0, 0, 0]), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  return { buffer, setLearningRate: (a) => owner.device.queue.writeBuffer(buffer, 0, new Float32Array([a])) };
}
