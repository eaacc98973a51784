// Forward passes over data other than the training set: evaluate(data) builds
// buffers for it and frees them; predict and activations keep the buffers for
// the last m, so a demo can draw a grid every frame without allocating. Data
// larger than one storage binding goes through in chunks of examples.
import { Owner } from '../gpu/owner.ts';
import { readTensor } from '../gpu/readback.ts';
import { openScopes } from '../gpu/scopes.ts';
import type { Tensor } from '../gpu/tensor.ts';
import { splitColumns } from '../network/chunks.ts';
import { ForwardPass, newTensor, uploadTensor, type ParameterTensors } from '../network/forward-pass.ts';
import type { Activation, Dataset, Metrics } from '../types.ts';
import { toFloat32Data, validateDataset, validateSteps } from '../validate.ts';

export class Evaluator {
  private predictCache: { m: number; owner: Owner; X: Tensor; forward: ForwardPass } | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly sizes: number[],
    private readonly activation: Activation,
    /** Views of W[l], b[l] in the trainer's parameter buffer. */
    private readonly params: ParameterTensors,
    /** Examples per chunk (see chunks.ts). */
    private readonly chunkSize: number,
  ) {}

  /** Cost J and accuracy of the current parameters on `data`. */
  async evaluate(data: Dataset): Promise<Metrics> {

    validateDataset(data, 'data', this.sizes[0]);
    const owner = new Owner(this.device);
    try {
      const metrics = newTensor(owner, 'eval metrics', 1, 2);
      const status = newTensor(owner, 'eval status', 1, 1);
      const close = openScopes(this.device);
      const encoder = this.device.createCommandEncoder({ label: 'evaluate data' });
      const pass = encoder.beginComputePass();
      for (const [c, part] of splitColumns(data.X, data.Y, this.sizes[0], data.m, this.chunkSize).entries()) {
        const X = uploadTensor(owner, 'eval X', this.sizes[0], part.m, part.X);
        const Y = uploadTensor(owner, 'eval Y', 1, part.m, part.Y);
        const sum = { m: data.m, accumulate: c > 0 };
        const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.params, X, Y, { metrics, sum, status });
        forward.record(pass);
        forward.recordCost(pass);
      }
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      await close('evaluating data');
      const [cost, accuracy] = await readTensor(this.device, metrics);
      return { cost, accuracy };
    } finally {
      owner.destroy();
    }
  }

  /**
   * A[1], …, A[L] for the m examples in X: what every unit computes (index 0
   * unused). With `outputOnly`, only A[L] is read back.
   */
  async activations(X: ArrayLike<number>, m: number, outputOnly = false): Promise<Float32Array[]> {
    validateSteps(m, 'm');
    const x = toFloat32Data('X', X, this.sizes[0] * m);
    const L = this.sizes.length - 1;
    const out: Float32Array[] = this.sizes.map((n, l) => new Float32Array(l === 0 || (outputOnly && l < L) ? 0 : n * m));
    // Larger sets go through in chunks of examples, each as (n0, chunk) columns.
    for (const part of splitColumns(x, new Float32Array(m), this.sizes[0], m, this.chunkSize)) {
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
    if (this.predictCache?.m !== m) {
      this.predictCache?.owner.destroy();
      this.predictCache = null;
      const owner = new Owner(this.device);
      const Xt = uploadTensor(owner, 'predict X', this.sizes[0], m, x);
      const status = newTensor(owner, 'predict status', 1, 1);
      const forward = await ForwardPass.create(owner, this.sizes, this.activation, this.params, Xt, null, { status });
      this.predictCache = { m, owner, X: Xt, forward };
    } else {
      this.device.queue.writeBuffer(this.predictCache.X.buffer, 0, x);
    }
    const close = openScopes(this.device);
    const encoder = this.device.createCommandEncoder({ label: 'predict' });
    const pass = encoder.beginComputePass();
    this.predictCache.forward.record(pass);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    return { forward: this.predictCache.forward, checked: close('predicting') };
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
