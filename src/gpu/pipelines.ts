// One pipeline mechanism for every kernel: an explicit bind-group layout and
// pipeline-overridable constants (explicit-pipeline.ts), compiled once per device,
// source and constants. Compile errors become a ShaderCompileError naming the kernel,
// line and column (from getCompilationInfo), not a console line followed by wrong numbers.
// Every kernel gets its layout from its own declarations (bindingKinds), so a kernel
// says once what it reads and writes.
import { WORKGROUP_SIZE } from './constants.ts';
import { bindGroupLayout, explicitPipeline, type BindingKind, type KernelSource } from './explicit-pipeline.ts';

export { debugFlags, type BindingKind, type KernelSource } from './explicit-pipeline.ts';

const DECLARATION = /@group\(0\)\s*@binding\((\d+)\)\s*var<\s*(uniform|storage(?:\s*,\s*(read_write|read))?)\s*>/g;

/** The kinds of group 0's bindings 0, 1, … as the WGSL declares them (`var<storage>` reads). */
export function bindingKinds(source: KernelSource): BindingKind[] {
  const kinds: BindingKind[] = [];
  for (const [, index, space, access] of source.code.matchAll(DECLARATION)) {
    kinds[Number(index)] = space === 'uniform' ? 'uniform' : access === 'read_write' ? 'read_write' : 'read';
  }
  for (let i = 0; i < kinds.length; i++) {
    if (!kinds[i]) throw new Error(`kernel "${source.name}" declares no @binding(${i}) in group 0: bindings must be numbered 0, 1, … without gaps`);
  }
  return kinds;
}

/**
 * The pipeline of a kernel with the layout its WGSL declares, and that layout for its
 * bind groups. `constants` default to the workgroup size.
 */
export async function getPipeline(
  device: GPUDevice,
  source: KernelSource,
  constants: Record<string, number> = { WG: WORKGROUP_SIZE },
): Promise<{ pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }> {
  const layout = bindGroupLayout(device, bindingKinds(source));
  return { pipeline: await explicitPipeline(device, source, layout, constants), layout };
}
