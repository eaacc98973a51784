// jax-js 0.1.25 (@jax-js/jax: NumPy/JAX in JavaScript, generated WebGPU and Wasm kernels),
// used as it is meant to be used: the cost written once, its gradient by grad(), and the
// whole step (forward, backward, update) one jit-compiled function, so its kernels fuse.
// Its arrays are reference counted and consumed by every op (`.ref` keeps one for a second
// use), and its execution is lazy: train() reads the cost back, which waits for the steps.
import { blockUntilReady, defaultDevice, grad, init, jit, numpy as np } from '@jax-js/jax';
import type { Problem } from '../data.ts';
import type { Contender, Session } from './contender.ts';

export type JaxDevice = 'webgpu' | 'wasm';

/** Steps queued between two waits for the device. */
const BLOCK_EVERY = 32;

type Params = { W1: np.Array; b1: np.Array; W2: np.Array; b2: np.Array };

/** Another reference to every array of p (each use of an array consumes one). */
const refs = (p: Params): Params => ({ W1: p.W1.ref, b1: p.b1.ref, W2: p.W2.ref, b2: p.b2.ref });

/** J = mean(max(z, 0) − z·y + log(1 + e^−|z|)) of the logits z = W2·tanh(W1·X + b1) + b2: the trainer's cost. */
function cost(p: Params, X: np.Array, Y: np.Array): np.Array {
  const A1 = np.tanh(np.matmul(p.W1, X).add(p.b1)); // (n1, m)
  const Z2 = np.matmul(p.W2, A1).add(p.b2); //         (1, m)
  const loss = np.maximum(Z2.ref, 0).sub(Z2.ref.mul(Y)).add(np.log1p(np.exp(np.negative(np.abs(Z2)))));
  return np.mean(loss);
}

export function jaxjsContender(device: JaxDevice): Contender {
  return {
    async create({ size, data, init: start }: Problem): Promise<Session> {
      const available = await init(device);
      if (!available.includes(device)) throw new Error(`jax-js could not start its ${device} device`);
      defaultDevice(device);
      const [n0, n1] = size.sizes;
      const { m } = data;
      const alpha = size.learningRate;
      const X = np.array(Float32Array.from(data.X)).reshape([n0, m]);
      const Y = np.array(Float32Array.from(data.Y)).reshape([1, m]);
      const gradient = grad(cost);
      // One step: the gradient of J at p, and p − α·∇J; p is consumed, the new p returned.
      const step = jit((p: Params, x: np.Array, y: np.Array): Params => {
        const g = gradient(refs(p), x, y) as Params;
        return { W1: p.W1.sub(g.W1.mul(alpha)), b1: p.b1.sub(g.b1.mul(alpha)), W2: p.W2.sub(g.W2.mul(alpha)), b2: p.b2.sub(g.b2.mul(alpha)) };
      });
      const evaluate = jit(cost);
      const initial = (): Params => ({
        W1: np.array(Float32Array.from(start.W[1])).reshape([n1, n0]),
        b1: np.array(Float32Array.from(start.b[1])).reshape([n1, 1]),
        W2: np.array(Float32Array.from(start.W[2])).reshape([1, n1]),
        b2: np.array(Float32Array.from(start.b[2])).reshape([1, 1]),
      });
      let p = initial();
      const dispose = (q: Params) => [q.W1, q.b1, q.W2, q.b2].forEach((a) => a.dispose());
      return {
        detail: `jax-js 0.1.25 ${device}, grad under jit`,
        async reset() {
          dispose(p);
          p = initial();
        },
        async train(steps) {
          for (let s = 0; s < steps; s++) {
            p = step(p, X.ref, Y.ref);
            // Lazy: without a wait now and then, the queued steps (and their memory) grow without bound.
            if (s % BLOCK_EVERY === BLOCK_EVERY - 1) await blockUntilReady(p);
          }
          const J = evaluate(refs(p), X.ref, Y.ref);
          // Reading J back waits for every step before it.
          return (await J.data())[0];
        },
        dispose() {
          dispose(p);
          X.dispose();
          Y.dispose();
        },
      };
    },
  };
}
