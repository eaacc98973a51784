// TensorFlow.js on the MNIST page's task, on request, for the speed comparison: the
// same network (784 → hidden ReLU layers → 10, softmax cross-entropy) from the same
// initial weights (He, the trainer's seed), the same optimizer and learning rate, and
// the very same mini-batches in the same
// order (src/training/shuffle.ts, the trainer's own shuffle), written as TF.js is used
// well: variables, optimizer.minimize, tidy, one example per row. Loaded only when asked.
import type * as TF from '@tensorflow/tfjs-core';
import type * as TFL from '@tensorflow/tfjs-layers';
import { loadTf, loadTfLayers, useBackend, type TfBackend } from '../bench/contenders/tfjs.ts';
import { initParameters } from '../src/model/init.ts';
import { batchExamples } from '../src/training/shuffle.ts';
import type { Dataset, OptimizerKind } from '../src/types.ts';

export interface TfjsRun {
  layers: number[];
  optimizer: OptimizerKind;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
}

export interface TfjsEpoch {
  epoch: number;
  accuracy: number;
  /** Training time of this epoch (the last batch's loss read back). */
  seconds: number;
}

/** Rows of X: (n0, m) as the trainer keeps it, transposed to (m, n0). */
function rows(d: Dataset): Float32Array {
  const out = new Float32Array(d.m * d.n0);
  for (let k = 0; k < d.n0; k++) for (let j = 0; j < d.m; j++) out[j * d.n0 + k] = d.X[k * d.m + j];
  return out;
}

/** Examples (rows of X, one-hot Y) in the order of one epoch's batches: the trainer's shuffle. */
function epochOrder(m: number, batchSize: number, epoch: number, seed: number): Int32Array {
  const steps = Math.ceil(m / batchSize);
  const order = new Int32Array(m);
  let at = 0;
  for (let k = 0; k < steps; k++) for (const j of batchExamples((epoch - 1) * steps + k, m, batchSize, seed)) order[at++] = j;
  return order;
}

/**
 * The same task as users write it with TF.js's layers API: tf.sequential of dense layers
 * (the same initial weights), compile with the optimizer and categorical cross-entropy,
 * model.fit one epoch at a time on the examples put in the trainer's batch order
 * (shuffle off, so the batches are the same). The clock counts model.fit only.
 */
export async function fitTfjs(
  backend: TfBackend,
  run: TfjsRun,
  train: Dataset,
  test: Dataset,
  onEpoch: (e: TfjsEpoch, name: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const tf = (await loadTfLayers()) as typeof TF & typeof TFL & { train: typeof TF.train };
  const name = await useBackend(tf, backend);
  const sizes = [train.n0, ...run.layers, 10];
  const init = initParameters(sizes, 'he', run.seed);
  const model = tf.sequential();
  sizes.slice(1).forEach((n, l) => {
    const kernel = tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(init.W[l + 1]), [n, sizes[l]])));
    model.add(tf.layers.dense({
      units: n, activation: l < sizes.length - 2 ? 'relu' : 'softmax', inputShape: l === 0 ? [train.n0] : undefined,
      weights: [kernel, tf.tensor1d(Float32Array.from(init.b[l + 1]))],
    }));
  });
  const optimizer = run.optimizer === 'adam' ? tf.train.adam(run.learningRate, 0.9, 0.999, 1e-8)
    : run.optimizer === 'momentum' ? tf.train.momentum(run.learningRate, 0.9) : tf.train.sgd(run.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const X = tf.tensor2d(rows(train), [train.m, train.n0]);
  const Y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(train.Y), 'int32'), 10), 'float32'));
  const Xtest = tf.tensor2d(rows(test), [test.m, test.n0]);
  const labels = tf.tensor1d(Array.from(test.Y), 'int32');
  const batchSize = Math.min(run.batchSize, train.m);
  try {
    for (let epoch = 1; epoch <= run.epochs && !signal.aborted; epoch++) {
      const idx = tf.tensor1d(epochOrder(train.m, batchSize, epoch, run.seed), 'int32');
      const [Xe, Ye] = [tf.gather(X, idx), tf.gather(Y, idx)];
      const t0 = performance.now();
      await model.fit(Xe, Ye, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
      const seconds = (performance.now() - t0) / 1000;
      tf.dispose([idx, Xe, Ye]);
      if (signal.aborted) break;
      const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(Xtest, { batchSize: test.m }) as TF.Tensor2D, 1), labels), 'float32')));
      onEpoch({ epoch, accuracy: (await accuracy.data())[0], seconds }, name);
      accuracy.dispose();
    }
  } finally {
    tf.dispose([X, Y, Xtest, labels]);
    model.dispose();
    optimizer.dispose();
  }
}

export async function trainTfjs(
  backend: TfBackend,
  run: TfjsRun,
  train: Dataset,
  test: Dataset,
  onEpoch: (e: TfjsEpoch, name: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const tf = await loadTf();
  const name = await useBackend(tf, backend);
  const sizes = [train.n0, ...run.layers, 10];
  const X = tf.tensor2d(rows(train), [train.m, train.n0]);
  const Y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(train.Y), 'int32'), 10), 'float32'));
  const Xtest = tf.tensor2d(rows(test), [test.m, test.n0]);
  const labels = tf.tensor1d(Array.from(test.Y), 'int32');
  const XT = tf.transpose(X);
  // The trainer keeps W as (n_l, n_{l-1}); rows times W here need its transpose.
  const init = initParameters(sizes, 'he', run.seed);
  const W = sizes.slice(1).map((n, l) => tf.variable(tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(init.W[l + 1]), [n, sizes[l]])))));
  const b = sizes.slice(1).map((_, l) => tf.variable(tf.tensor1d(Float32Array.from(init.b[l + 1]))));
  const params = [...W, ...b];
  // Optimizer state, one per parameter: velocity (momentum) or first and second moments (Adam).
  const first = params.map((p) => tf.variable(tf.zerosLike(p)));
  const second = params.map((p) => tf.variable(tf.zerosLike(p)));
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const logits = (x: TF.Tensor2D): TF.Tensor2D => {
    let a = x;
    W.forEach((w, l) => {
      const z = tf.add(tf.matMul(a, w), b[l]);
      a = (l < W.length - 1 ? tf.relu(z) : z) as TF.Tensor2D;
    });
    return a;
  };
  /** One step on batch `idx`: forward, backward with the mean over the batch, the update. Returns the cost. */
  const step = (idx: TF.Tensor1D, t: number): TF.Scalar =>
    tf.tidy(() => {
      const [xb, yb, xbT] = [tf.gather(X, idx) as TF.Tensor2D, tf.gather(Y, idx) as TF.Tensor2D, tf.gather(XT, idx, 1) as TF.Tensor2D];
      const B = idx.shape[0];
      const A: TF.Tensor2D[] = [xb];
      const Z: TF.Tensor2D[] = [xb];
      W.forEach((w, l) => {
        Z.push(tf.add(tf.matMul(A[l], w), b[l]) as TF.Tensor2D);
        A.push(l < W.length - 1 ? tf.relu(Z[l + 1]) : tf.softmax(Z[l + 1]));
      });
      const L = W.length;
      const cost = tf.neg(tf.div(tf.sum(tf.mul(yb, tf.log(tf.add(A[L], 1e-12)))), B)) as TF.Scalar;
      let dZ = tf.div(tf.sub(A[L], yb), B) as TF.Tensor2D;
      const grads: TF.Tensor[] = new Array(2 * L);
      for (let l = L; l >= 1; l--) {
        const aT = l === 1 ? xbT : tf.transpose(A[l - 1]);
        grads[l - 1] = tf.matMul(aT, dZ);
        grads[L + l - 1] = tf.sum(dZ, 0);
        if (l > 1) dZ = tf.mul(tf.matMul(dZ, W[l - 1], false, true), tf.step(Z[l - 1])) as TF.Tensor2D;
      }
      params.forEach((p, i) => {
        const g = grads[i];
        if (run.optimizer === 'sgd') p.assign(tf.sub(p, tf.mul(g, run.learningRate)));
        else if (run.optimizer === 'momentum') {
          first[i].assign(tf.add(tf.mul(first[i], beta1), tf.mul(g, 1 - beta1)));
          p.assign(tf.sub(p, tf.mul(first[i], run.learningRate)));
        } else {
          first[i].assign(tf.add(tf.mul(first[i], beta1), tf.mul(g, 1 - beta1)));
          second[i].assign(tf.add(tf.mul(second[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
          const mHat = tf.div(first[i], 1 - beta1 ** t);
          const vHat = tf.div(second[i], 1 - beta2 ** t);
          p.assign(tf.sub(p, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), run.learningRate)));
        }
      });
      return cost;
    });
  const batchSize = Math.min(run.batchSize, train.m);
  const stepsPerEpoch = Math.ceil(train.m / batchSize);
  try {
    for (let epoch = 1; epoch <= run.epochs && !signal.aborted; epoch++) {
      const t0 = performance.now();
      let loss: ReturnType<typeof tf.scalar> | null = null;
      for (let k = 0; k < stepsPerEpoch && !signal.aborted; k++) {
        const t = (epoch - 1) * stepsPerEpoch + k;
        loss?.dispose();
        const idx = tf.tensor1d(batchExamples(t, train.m, batchSize, run.seed), 'int32');
        loss = step(idx, t + 1);
        idx.dispose();
      }
      await loss?.data();
      loss?.dispose();
      const seconds = (performance.now() - t0) / 1000;
      if (signal.aborted) break;
      const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits(Xtest), 1), labels), 'float32')));
      onEpoch({ epoch, accuracy: (await accuracy.data())[0], seconds }, name);
      accuracy.dispose();
    }
  } finally {
    tf.dispose([X, XT, Y, Xtest, labels, ...params, ...first, ...second]);
  }
}
