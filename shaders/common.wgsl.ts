// Declarations the general kernels share, each written once (style point 3: a number
// has one owner). A kernel includes what it uses with ${DIMS} and ${WORKGROUP}.

/**
 * The shapes of a general kernel: its uniform at binding 0, written by src/gpu/kernels.ts.
 * rows, cols: the output's shape; inner: the length of the sum; scale: 1/m (α for the
 * update, L2's factor for the penalties); beta: out = beta·out + … (0 overwrites, 1 adds a
 * chunk of examples to the earlier ones); beta1, beta2, epsilon: the optimizer's constants
 * (the update; the penalties take L1's factor in beta1).
 */
export const DIMS = /* wgsl */ `struct Dims { rows: u32, cols: u32, inner: u32, scale: f32, beta: f32, beta1: f32, beta2: f32, epsilon: f32 }`;

/** Invocations per workgroup: set at pipeline creation from WORKGROUP_SIZE (src/gpu/constants.ts), which also sizes the dispatches. */
export const WORKGROUP = /* wgsl */ `override WG: u32;`;
