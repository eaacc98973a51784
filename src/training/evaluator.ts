// Forward passes over data other than the training set: evaluate(data) builds
// buffers for it and frees them; predict and activations keep the buffers for
// the last m, so a demo can draw a grid every frame without allocating. Data
// larger than one storage binding goes through in chunks of examples.
// evaluate(data) runs the kernels 'auto' would train the network with on that data
// (evaluationKernels): the seed's tiled cost pass for wide seed networks (register tiles,
// or lists of X's nonzero lines when X is mostly zero; none of what only the backward
// pass needs), else forward passes with tiled or plain products; docs/PERFORMANCE.md
// has what it saves.
import { weightMask, type ParamLayout } from '../gpu/param-layout.ts';
import { Owner } from '../gpu/owner.ts';
import { readTensor } from '../gpu/readback.ts';
import { openScopes } from '../gpu/scopes.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { chunkSize, splitColumns } from '../network/chunks.ts';
import { chunksCost, ForwardPass, newTensor, uploadTensor, type ParameterTensors } from '../network/forward-pass.ts';
import { recordDispatches, type Dispatch } from '../gpu/program.ts';
import { evaluationKernels, type StepConfig, type StepVariant } from '../network/step.ts';
import { seedShapedFill } from './build.ts';
import type { Matmul } from '../gpu/kernels.ts';
import { sparseCostPass } from '../network/seed/sparse-step.ts';
import { labelRows, type Dataset, type Metrics, type NetworkSpec } from '../types.ts';
import { toFloat32Data, validateDataset, validateSteps } from '../validate.ts';
import { targetVariance, toMetrics } from './metrics.ts';
import { standardizeData, standardizeX, type Standardization } from '../data/standardize.ts';

/** A cost pass over one data set, built once: see Evaluator.costProgram. */
export interface CostProgram {
  owner: Owner;
  dispatches: Dispatch[];
  /** [J, metric], summed over the data's chunks. */
  metrics: Tensor;
  /** The targets' variance (linear head), for R². */
  variance: number;
  kernels: 'sparse' | Matmul;
}

export class Evaluator {
  private predictCache: { m: number; owner: Owner; X: Tensor; forward: ForwardPass } | null = null;
  /** The kernels the last evaluate(data) ran: the seed's tiled cost pass, or forward passes with tiled or plain products. */
  lastVariant: 'sparse' | Matmul | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly net: NetworkSpec,
    /** The weight penalties' λ (L2) and λ1 (L1): the cost on data adds (λ/2m)·Σ‖W‖² + (λ1/m)·Σ|W| with that data's m. */
    private readonly penalty: { l2: number; l1: number },
    /** Views of W[l], b[l] in the trainer's parameter buffer. */
    private readonly params: ParameterTensors,
    /** Bytes one storage binding may hold: data past it goes through in chunks of examples (chunks.ts). */
    private readonly maxBindingBytes: number,
    /** The whole parameter buffer and its layout (the tiled kernels read P as one binding). */
    private readonly P: Tensor,
    private readonly layout: ParamLayout,
    /** Applied to every X before it reaches the GPU. */
    private readonly standardization: Standardization | null = null,
    /** The trainer's variant when forced: evaluation runs its products ('auto': the ones auto picks for the data). */
    private readonly requested: StepVariant = 'auto',
  ) {}

  /** A full-batch configuration of m examples in `chunks` parts (X's block fill: xFill): what evaluationKernels chooses by. */
  private configFor(m: number, chunks: number, xFill = 1): StepConfig {
    return { net: this.net, optimizer: { kind: 'sgd', beta1: 0, beta2: 0, epsilon: 1 }, l2: this.penalty.l2, l1: this.penalty.l1, batchSize: m, m, chunks, xFill };
  }

  private get sizes(): number[] {
    return this.net.sizes;
  }

  /**
   * The cost pass of the current parameters on `data`, kept to run as often as
   * asked (a test set evaluated at every logged step of train): its dispatches
   * write [J, metric] into `metrics`. The caller destroys `owner`.
   */
  async costProgram(data: Dataset): Promise<CostProgram> {
    validateDataset(data, 'data', this.sizes[0], this.net);
    const variance = this.net.head === 'linear' ? targetVariance(data.Y, data.m) : NaN;
    if (this.standardization) data = standardizeData(data, this.standardization);
    const owner = new Owner(this.device);
    try {
      const metrics = newTensor(owner, 'eval metrics', 1, 2);
      const status = newTensor(owner, 'eval status', 1, 1);
      const yRows = labelRows(this.net);
      const parts = splitColumns(data.X, data.Y, this.sizes[0], data.m, chunkSize(this.sizes, data.m, this.maxBindingBytes), yRows);
      // The kernels 'auto' would train this network on this data with.
      const kernels = evaluationKernels(this.configFor(data.m, parts.length, parts.length === 1 ? seedShapedFill(this.net, data) : 1), this.device, this.requested);
      const { l2, l1 } = this.penalty;
      const penalty = l2 > 0 || l1 > 0 ? { P: { ...this.P, rows: this.layout.length }, mask: uploadTensor(owner, 'eval penalty mask', this.layout.length, 1, weightMask(this.layout)), l2, l1, m: data.m } : undefined;
      const dispatches: Dispatch[] = [];
      let ran: 'sparse' | Matmul = kernels;
      for (const [c, part] of parts.entries()) {
        const X = uploadTensor(owner, 'eval X', this.sizes[0], part.m, part.X);
        const Y = uploadTensor(owner, 'eval Y', yRows, part.m, part.Y);
        // The sparse step's cost pass on this data: it changes no parameter (dP is scratch
        // its cost kernel binds, α = 0, and the pass does not update); null when its lists do not fit.
        const sparse = kernels === 'sparse' && (await sparseCostPass({
          owner, sizes: this.sizes, activation: this.net.hidden[0], learningRate: 0, P: this.P, params: this.params,
          dP: newTensor(owner, 'eval dP (unused)', this.layout.length, 1), X, Y, metrics, status,
        }));
        if (sparse) {
          dispatches.push(...sparse);
        } else {
          ran = kernels === 'sparse' ? 'tiled' : kernels;
          const sum = { m: data.m, accumulate: c > 0 };
          const forward = await ForwardPass.create(owner, this.net, this.params, X, Y, { metrics, sum, status, penalty: c === 0 ? penalty : undefined, matmul: ran });
          dispatches.push(...chunksCost([forward]));
        }
      }
      return { owner, dispatches, metrics, variance, kernels: ran };
    } catch (error) {
      owner.destroy();
      throw error;
    }
  }

  /** Cost J and the head's metrics of the current parameters on `data`. */
  async evaluate(data: Dataset): Promise<Metrics> {
    const close = openScopes(this.device);
    const program = await this.costProgram(data).catch(async (error: unknown) => {
      await close('evaluating data').catch(() => undefined);
      throw error;
    });
    try {
      this.lastVariant = program.kernels;
      return await this.run(program, close);
    } finally {
      program.owner.destroy();
    }
  }

  /** Runs a cost program once and reads its metrics (in the given error scopes, else its own). */
  async run(program: CostProgram, close = openScopes(this.device)): Promise<Metrics> {
    const encoder = this.device.createCommandEncoder({ label: 'evaluate data' });
    const pass = encoder.beginComputePass();
    recordDispatches(pass, program.dispatches, true);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    await close('evaluating data');
    const [cost, accuracy] = await readTensor(this.device, program.metrics);
    return toMetrics({ cost, accuracy }, this.net.head, program.variance);
  }

  /**
   * A[1], …, A[L] for the m examples in X: what every unit computes (index 0
   * unused). With `outputOnly`, only A[L] is read back.
   */
  async activations(X: ArrayLike<number>, m: number, outputOnly = false): Promise<Float32Array[]> {
    validateSteps(m, 'm');
    const given = toFloat32Data('X', X, this.sizes[0] * m);
    const x = this.standardization ? standardizeX(given, this.sizes[0], m, this.standardization) : given;
    const L = this.sizes.length - 1;
    const out: Float32Array[] = this.sizes.map((n, l) => new Float32Array(l === 0 || (outputOnly && l < L) ? 0 : n * m));
    // Larger sets go through in chunks of examples, each as (n0, chunk) columns.
    for (const part of splitColumns(x, new Float32Array(m), this.sizes[0], m, chunkSize(this.sizes, m, this.maxBindingBytes))) {
      const { forward, checked } = await this.forwardOn(part.X as Float32Array<ArrayBuffer>, part.m);
      await checked;
      for (let l = outputOnly ? L : 1; l <= L; l++) {
        const A = await readTensor(this.device, forward.A[l]);
        for (let i = 0; i < this.sizes[l]; i++) out[l].set(A.subarray(i * part.m, (i + 1) * part.m), i * m + part.start);
      }
    }
    return out;
  }

  private async forwardOn(x: Float32Array<ArrayBuffer>, m: number): Promise<{ forward: ForwardPass; checked: Promise<void> }> {
    const fresh = this.predictCache?.m !== m;
    if (fresh) {
      this.predictCache?.owner.destroy();
      this.predictCache = null;
      const owner = new Owner(this.device);
      const Xt = uploadTensor(owner, 'predict X', this.sizes[0], m, x);
      const status = newTensor(owner, 'predict status', 1, 1);
      const kernels = evaluationKernels(this.configFor(m, 1), this.device, this.requested);
      const forward = await ForwardPass.create(owner, this.net, this.params, Xt, null, { status, matmul: kernels === 'sparse' ? 'tiled' : kernels });
      this.predictCache = { m, owner, X: Xt, forward };
    }
    const cache = this.predictCache!;
    const close = openScopes(this.device);
    // The same m as last time: the new X into the kept buffer, inside the scopes like the dispatches.
    if (!fresh) this.device.queue.writeBuffer(cache.X.buffer, 0, x);
    const encoder = this.device.createCommandEncoder({ label: 'predict' });
    const pass = encoder.beginComputePass();
    recordDispatches(pass, cache.forward.layers);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    return { forward: cache.forward, checked: close('predicting') };
  }

  /** GPU buffers held for the last m predicted. */
  get liveBuffers(): number {
    return this.predictCache?.owner.liveBuffers ?? 0;
  }

  destroy(): void {
    this.predictCache?.owner.destroy();
    this.predictCache = null;
  }
}
