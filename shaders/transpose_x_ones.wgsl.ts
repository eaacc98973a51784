// A fixed WGSL kernel, as a module so that any JavaScript runtime (Node, a bundler,
// a browser) loads it without a bundler's raw-text import. The text is plain WGSL.
export default /* wgsl */ `// The data transposed, with a column of ones after it, zero-padded to a multiple of 4
// columns (made once, when the tiled step is built):
//   XT1 = [X; 1ᵀ; 0]ᵀ     X (N0, M), XT1 (M, K4), K4 = 4·ceil((N0 + 1)/4):
//   XT1[j, k] = X[k, j] for k < N0,  XT1[j, N0] = 1,  XT1[j, k] = 0 for k > N0
// The tiled dW1 kernel sums over examples j; with examples as rows it reads four
// neighbouring columns as one vec4. The column of ones makes db1 = (1/m)·dZ1·1 one
// more column of dW1 = (1/m)·dZ1·Xᵀ.
// One invocation per entry of XT1, in a 2-D grid when there are more than 65,535 workgroups.

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> XT1: array<f32>;

override WG: u32 = 64;
override N0: u32;
override M: u32;
override K4: u32;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= M * K4) { return; }
  let j = idx / K4;
  let k = idx % K4;
  XT1[idx] = select(select(0.0, 1.0, k == N0), X[min(k, N0 - 1u) * M + j], k < N0);
}
`;
