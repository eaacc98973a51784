// Floating-point operations of one full-batch gradient step, counting a
// multiply-add as 2, for GFLOP/s figures. Elementwise work (activations, A − Y,
// the update) is counted too, at one operation per entry; it is small beside
// the matmuls except for the smallest networks.

/** FLOPs of one gradient step of a network with `sizes` on m examples. */
export function flopsPerStep(sizes: number[], m: number): number {
  let flops = 0;
  const L = sizes.length - 1;
  for (let l = 1; l <= L; l++) {
    const [n, nPrev] = [sizes[l], sizes[l - 1]];
    flops += 2 * n * nPrev * m + 2 * n * m; //   Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l])
    flops += 2 * n * nPrev * m; //                 dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ
    flops += n * m; //                             db[l] = (1/m)·Σ dZ[l]
    if (l > 1) flops += 2 * n * nPrev * m + 2 * nPrev * m; // dZ[l−1] = W[l]ᵀ·dZ[l] ⊙ g'(Z[l−1])
    flops += 2 * (n * nPrev + n); //               P ← P − α·dP
  }
  return flops + sizes[L] * m; //                  dZ[L] = A[L] − Y
}
