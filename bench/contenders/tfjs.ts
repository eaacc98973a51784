// TensorFlow.js 4.22 with its webgpu, wasm or cpu backend, loaded as the
// published UMD bundles (window.tf): the ESM build pulls CommonJS dependencies
// that Vite does not pre-bundle here. The step is written the way TF.js is used
// well: variables, tidy(), no transposed matMul in the loop (the wasm backend
// is several times slower with one, PITFALLS.md): Xᵀ is cached, dW2 is A1·dZ2ᵀ.
import type * as TF from '@tensorflow/tfjs-core';
import coreUrl from '@tensorflow/tfjs-core/dist/tf-core.min.js?url';
import cpuUrl from '@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js?url';
import webgpuUrl from '@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js?url';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js?url';
import layersUrl from '@tensorflow/tfjs-layers/dist/tf-layers.min.js?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { Problem } from '../data.ts';
import type { Contender, Session } from './contender.ts';

export type Tf = typeof TF & { wasm?: { setWasmPaths(paths: Record<string, string>): void } };
export type TfBackend = 'webgpu' | 'wasm' | 'cpu';

function script(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = url;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(s);
  });
}

let loaded: Promise<Tf> | null = null;
/** Loads core and the three backends once; returns window.tf. */
export const loadTf = () =>
  (loaded ??= (async () => {
    await script(coreUrl);
    await Promise.all([script(cpuUrl), script(webgpuUrl), script(wasmUrl)]);
    const tf = (window as unknown as { tf: Tf }).tf;
    tf.wasm!.setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL(wasmPlain, location.href).href,
      'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, location.href).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, location.href).href,
    });
    return tf;
  })());

let layers: Promise<Tf> | null = null;
/** TF.js with its layers API (tf.sequential, model.fit), loaded on first use after the core. */
export const loadTfLayers = () =>
  (layers ??= (async () => {
    const tf = await loadTf();
    await script(layersUrl);
    return tf;
  })());

export async function useBackend(tf: Tf, backend: TfBackend): Promise<string> {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
  await tf.ready();
  // The split-K matmul of the webgpu backend is wrong for some transposed
  // shapes (PITFALLS.md); program type 3 is the plain tiled matmul.
  if (backend === 'webgpu') tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 3);
  if (backend !== 'wasm') return `tfjs ${tf.version_core} ${backend}`;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs ${tf.version_core} wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}, ${crossOriginIsolated ? '' : 'not '}cross-origin isolated)`;
}

export function tfjsContender(backend: TfBackend): Contender {
  return {
    async create({ size, data, init }: Problem): Promise<Session> {
      const tf = await loadTf();
      const detail = await useBackend(tf, backend);
      const [n0, n1] = size.sizes;
      const { m } = data;
      const X = tf.tensor2d(data.X, [n0, m]); // (n0, m)
      const XT = tf.keep(tf.transpose(X)); //       (m, n0), cached: X never changes
      const Y = tf.tensor2d(data.Y, [1, m]);
      const W1 = tf.variable(tf.zeros([n1, n0]));
      const b1 = tf.variable(tf.zeros([n1, 1]));
      const W2 = tf.variable(tf.zeros([1, n1]));
      const b2 = tf.variable(tf.zeros([1, 1]));
      const alpha = tf.scalar(size.learningRate);
      const invM = tf.scalar(1 / m);
      const reset = async () => {
        W1.assign(tf.tensor2d(Float32Array.from(init.W[1]), [n1, n0]));
        b1.assign(tf.tensor2d(Float32Array.from(init.b[1]), [n1, 1]));
        W2.assign(tf.tensor2d(Float32Array.from(init.W[2]), [1, n1]));
        b2.assign(tf.tensor2d(Float32Array.from(init.b[2]), [1, 1]));
      };
      const forward = () => {
        const A1 = tf.tanh(tf.add(tf.matMul(W1, X), b1)); // (n1, m)
        return { A1, Z2: tf.add(tf.matMul(W2, A1), b2) }; // (1, m)
      };
      const step = () =>
        tf.tidy(() => {
          const { A1, Z2 } = forward();
          const dZ2 = tf.sub(tf.sigmoid(Z2), Y); //                                     (1, m)
          const dW2 = tf.mul(tf.matMul(A1, tf.reshape(dZ2, [m, 1])), invM); //           (n1, 1) = dW2ᵀ
          const db2 = tf.mul(tf.sum(dZ2, 1, true), invM);
          const gPrime = tf.sub(1, tf.square(A1));
          const dZ1 = tf.mul(tf.mul(tf.reshape(W2, [n1, 1]), dZ2), gPrime); //           (n1, m)
          const dW1 = tf.mul(tf.matMul(dZ1, XT), invM); //                               (n1, n0)
          const db1 = tf.mul(tf.sum(dZ1, 1, true), invM);
          W1.assign(tf.sub(W1, tf.mul(alpha, dW1)));
          b1.assign(tf.sub(b1, tf.mul(alpha, db1)));
          W2.assign(tf.sub(W2, tf.mul(alpha, tf.reshape(dW2, [1, n1]))));
          b2.assign(tf.sub(b2, tf.mul(alpha, db2)));
        });
      // J from the logits: mean(max(z, 0) − z·y + log(1 + e^−|z|)).
      const cost = () =>
        tf.tidy(() => {
          const { Z2 } = forward();
          const loss = tf.add(tf.sub(tf.relu(Z2), tf.mul(Z2, Y)), tf.log1p(tf.exp(tf.neg(tf.abs(Z2)))));
          return tf.mean(loss);
        });
      await reset();
      return {
        detail,
        reset,
        async train(steps) {
          for (let s = 0; s < steps; s++) step();
          const J = cost();
          const value = (await J.data())[0];
          J.dispose();
          return value;
        },
        dispose() {
          for (const t of [X, XT, Y, W1, b1, W2, b2, alpha, invM]) t.dispose();
        },
      };
    },
  };
}
