// A step program is data: an ordered list of dispatches, each a kernel's pipeline, its
// bind group and its grid, labelled with the equation it computes and the tensors it
// binds. Every kernel of every variant is made by one constructor (`kernel`), which
// reads the bind-group layout from the kernel's own WGSL declarations; one loop
// (`recordDispatches`) records them. Profiling, --explain, the kernel list and reading a
// tensor back are all loops over the same list, so what is printed is what runs.
import { WORKGROUP_SIZE } from './constants.ts';
import type { Grid } from './grid.ts';
import { bindingKinds, getPipeline, type BindingKind, type KernelSource } from './pipelines.ts';
import { binding, type Tensor } from './tensor.ts';

/** A resource bound to a kernel: a tensor, or a plain buffer (a uniform, a list) with its label. */
export type Resource = Tensor | GPUBuffer;

/** When a dispatch runs within a step: always, only in steps that log their cost, or only in those that do not. */
export type When = 'always' | 'cost' | 'no-cost';

/** One recorded kernel launch, made once and recorded every step. */
export interface Dispatch {
  /** What it computes, in the notes' names: "dW2 = (1/m)·dZ2·A1ᵀ". */
  readonly label: string;
  /** The kernel and its variant, without per-shape constants: "matmul_tiled(dw, vec4 inner)". */
  readonly kernel: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  /** Workgroups in x and y. */
  readonly grid: Grid;
  /** The bound resources in binding order: their labels, shapes and whether the kernel writes them. */
  readonly bindings: readonly BoundResource[];
  readonly when: When;
  /** Pipeline-overridable constants it was compiled with (the workgroup size among them). */
  readonly constants: Readonly<Record<string, number>>;
}

export interface BoundResource {
  label: string;
  /** (rows, cols) of a tensor; null for a plain buffer. */
  shape: [number, number] | null;
  kind: BindingKind;
}

export interface KernelSpec {
  /** What the dispatch computes (the notes' names). */
  label: string;
  source: KernelSource;
  /** In binding order, as the WGSL declares them. */
  resources: readonly Resource[];
  grid: Grid;
  /** Constants beyond the workgroup size (which WORKGROUP_SIZE owns when the kernel declares `override WG`). */
  constants?: Record<string, number>;
  when?: When;
}

const isTensor = (r: Resource): r is Tensor => 'rows' in r;
const DECLARES_WG = /\boverride\s+WG\s*:/;

/**
 * The one kernel constructor: compiles (once per device, source and constants) the
 * pipeline with the layout its WGSL declares, and binds `resources` to it.
 */
export async function kernel(device: GPUDevice, spec: KernelSpec): Promise<Dispatch> {
  const kinds = bindingKinds(spec.source);
  if (kinds.length !== spec.resources.length) {
    throw new Error(`kernel "${spec.source.name}" declares ${kinds.length} bindings, ${spec.resources.length} were given for "${spec.label}"`);
  }
  const constants = { ...(DECLARES_WG.test(spec.source.code) ? { WG: WORKGROUP_SIZE } : {}), ...spec.constants };
  const { pipeline, layout } = await getPipeline(device, spec.source, constants);
  const bindGroup = device.createBindGroup({
    label: spec.label,
    layout,
    entries: spec.resources.map((r, i) => ({ binding: i, resource: isTensor(r) ? binding(r) : { buffer: r } })),
  });
  return {
    label: spec.label,
    // Per-shape constants stay out of the name: "fused_step(tanh, one, {…})" → "fused_step(tanh, one)".
    kernel: spec.source.name.replace(/, \{.*\}\)$/, ')'),
    pipeline,
    bindGroup,
    grid: spec.grid,
    bindings: spec.resources.map((r, i) => ({ label: r.label, shape: isTensor(r) ? [r.rows, r.cols] : null, kind: kinds[i] })),
    when: spec.when ?? 'always',
    constants,
  };
}

/** The one recording loop: each dispatch that runs in a step with (or without) its cost. */
export function recordDispatches(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[], withCost = false): void {
  for (const d of dispatches) {
    if (d.when !== 'always' && (d.when === 'cost') !== withCost) continue;
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.grid[0], d.grid[1]);
  }
}

/** Runs dispatches once in a submit of their own (work on data that never changes: lists, padding). */
export function runOnce(device: GPUDevice, label: string, dispatches: readonly Dispatch[]): void {
  const encoder = device.createCommandEncoder({ label });
  const pass = encoder.beginComputePass({ label });
  recordDispatches(pass, dispatches);
  pass.end();
  device.queue.submit([encoder.finish()]);
}

/**
 * A gradient step as data. `step` is one step's dispatches in order; a mini-batch run
 * whose last batch of an epoch is smaller has a second list for it (`lastBatch`);
 * `cost` computes J and the metric on the whole training set, changing no parameter.
 */
export interface StepProgram {
  /** The variant, e.g. "simple". */
  readonly name: string;
  readonly step: readonly Dispatch[];
  readonly lastBatch?: { readonly every: number; readonly step: readonly Dispatch[] };
  readonly cost: readonly Dispatch[];
  /** The step's named intermediate tensors that stay in place after a step (Z1, A1, dZ1, dA1, …). */
  readonly tensors: Readonly<Record<string, Tensor>>;
  setLearningRate(alpha: number): void;
}

/** The dispatches of step number `t` (updates taken before it). */
export function dispatchesAt(program: StepProgram, t: number): readonly Dispatch[] {
  const last = program.lastBatch;
  return last && t % last.every === last.every - 1 ? last.step : program.step;
}

/**
 * Records gradient step number `t`: forward propagation; when `withCost`, J and the metric
 * of the parameters before the update into metrics; backpropagation; the update.
 */
export function recordStep(pass: GPUComputePassEncoder, program: StepProgram, withCost: boolean, t: number): void {
  recordDispatches(pass, dispatchesAt(program, t), withCost);
}

/** Records the cost pass: J and the metric of the current parameters on the training set. */
export function recordCost(pass: GPUComputePassEncoder, program: StepProgram): void {
  recordDispatches(pass, program.cost, true);
}

/** The dispatches a step that does not log its cost runs. */
export function plainStep(dispatches: readonly Dispatch[]): Dispatch[] {
  return dispatches.filter((d) => d.when !== 'cost');
}

/** The kernels one step dispatches, each once, in order. */
export function kernelsOf(dispatches: readonly Dispatch[]): string[] {
  return [...new Set(plainStep(dispatches).map((d) => d.kernel))];
}
