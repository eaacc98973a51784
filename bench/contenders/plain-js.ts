// Plain JavaScript loops, float64, written the way a careful person would
// without a library: rows contiguous, the inner loop over examples, no
// allocation per step. This is also the cost the others are checked against.
import type { Problem } from '../data.ts';
import type { Contender, Session } from './contender.ts';

export const plainJsContender: Contender = {
  async create({ size, data, init }: Problem): Promise<Session> {
    const [n0, n1] = size.sizes;
    const { m } = data;
    const alpha = size.learningRate;
    const X = Float64Array.from(data.X);
    const Y = Float64Array.from(data.Y);
    const W1 = new Float64Array(n1 * n0);
    const b1 = new Float64Array(n1);
    const W2 = new Float64Array(n1);
    const b2 = new Float64Array(1);
    const A1 = new Float64Array(n1 * m); // Z1, then A1 = tanh(Z1), then dZ1
    const z2 = new Float64Array(m); //     Z2, then dZ2 = A2 − Y
    const reset = async () => {
      W1.set(init.W[1]);
      b1.set(init.b[1]);
      W2.set(init.W[2]);
      b2.set(init.b[2]);
    };
    const forward = () => {
      // Z1 = W1·X + b1, A1 = tanh(Z1), Z2 = W2·A1 + b2
      z2.fill(b2[0]);
      for (let i = 0; i < n1; i++) {
        const row = A1.subarray(i * m, (i + 1) * m);
        row.fill(b1[i]);
        for (let k = 0; k < n0; k++) {
          const w = W1[i * n0 + k];
          if (w === 0) continue;
          const x = k * m;
          for (let j = 0; j < m; j++) row[j] += w * X[x + j];
        }
        const w2 = W2[i];
        for (let j = 0; j < m; j++) {
          const a = Math.tanh(row[j]);
          row[j] = a;
          z2[j] += w2 * a;
        }
      }
    };
    const cost = () => {
      let J = 0;
      for (let j = 0; j < m; j++) {
        const z = z2[j];
        J += Math.max(z, 0) - z * Y[j] + Math.log1p(Math.exp(-Math.abs(z)));
      }
      return J / m;
    };
    const step = () => {
      forward();
      // dZ2 = A2 − Y; dW2 = (1/m)·dZ2·A1ᵀ; db2 = (1/m)·Σ dZ2
      let db2 = 0;
      for (let j = 0; j < m; j++) {
        z2[j] = 1 / (1 + Math.exp(-z2[j])) - Y[j];
        db2 += z2[j];
      }
      for (let i = 0; i < n1; i++) {
        const row = A1.subarray(i * m, (i + 1) * m);
        const w2 = W2[i];
        let dw2 = 0;
        let db1 = 0;
        for (let j = 0; j < m; j++) {
          const a = row[j];
          dw2 += z2[j] * a;
          // dZ1 = W2ᵀ·dZ2 ⊙ (1 − A1²)
          const dz1 = w2 * z2[j] * (1 - a * a);
          row[j] = dz1;
          db1 += dz1;
        }
        // dW1 = (1/m)·dZ1·Xᵀ, then the update of row i
        for (let k = 0; k < n0; k++) {
          const x = k * m;
          let s = 0;
          for (let j = 0; j < m; j++) s += row[j] * X[x + j];
          W1[i * n0 + k] -= (alpha * s) / m;
        }
        b1[i] -= (alpha * db1) / m;
        W2[i] -= (alpha * dw2) / m;
      }
      b2[0] -= (alpha * db2) / m;
    };
    await reset();
    return {
      detail: 'float64',
      reset,
      async train(steps) {
        for (let s = 0; s < steps; s++) step();
        forward();
        return cost();
      },
      dispose() {},
    };
  },
};
