// Dispatch sizes. A dimension holds at most maxComputeWorkgroupsPerDimension
// (65,535 by default) workgroups, so large counts fold into a 2-D grid and the
// kernels rebuild the linear index as gid.x + gid.y · (nwg.x · WG).

export type Grid = [x: number, y: number];

/** A grid of at least `groups` workgroups. */
export function gridOfWorkgroups(groups: number, maxPerDim: number): Grid {
  if (groups <= maxPerDim) return [Math.max(groups, 1), 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new RangeError(`${groups} workgroups do not fit a ${maxPerDim}² grid`);
  return [Math.ceil(groups / y), y];
}

/** A grid with at least `invocations` invocations of `workgroupSize` each. */
export function gridOfInvocations(invocations: number, workgroupSize: number, maxPerDim: number): Grid {
  return gridOfWorkgroups(Math.ceil(invocations / workgroupSize), maxPerDim);
}
