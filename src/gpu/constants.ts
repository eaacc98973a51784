// Numbers with one owner. The WGSL kernels get WORKGROUP_SIZE through their
// `override WG`, and the dispatch sizes are computed from the same constant.

/** Invocations per workgroup for every kernel. A power of two: the reductions halve it. */
export const WORKGROUP_SIZE = 64;

/** Bytes per float32 element. */
export const F32 = 4;

/** Gradient steps recorded between two waits on the queue (see Trainer.train). */
export const STEPS_PER_WINDOW = 64;
export const U32 = 4;
