// A step program as text (`npm run train -- --explain`, Trainer.explain()): every
// dispatch in order with its kernel, workgroups and the tensors it reads and writes.
// It is printed from the same list that is recorded, so it cannot drift from what runs.
import type { BoundResource, Dispatch, StepProgram } from './program.ts';

const shapeOf = (b: BoundResource) => (b.shape ? `${b.label} (${b.shape[0]}, ${b.shape[1]})` : b.label);

/** "reads → writes" of a dispatch's tensors; uniforms (shapes, α) are left out. */
function flow(d: Dispatch): string {
  const tensors = d.bindings.filter((b) => b.kind !== 'uniform');
  const reads = tensors.filter((b) => b.kind === 'read').map(shapeOf);
  const writes = tensors.filter((b) => b.kind === 'read_write').map(shapeOf);
  return `${reads.join(', ')} → ${writes.join(', ')}`;
}

const WHEN = { always: '', cost: ' [steps that log J]', 'no-cost': ' [steps that do not log J]' } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;

/** One numbered block of dispatches; `marks` notes those that run only with (or without) the cost. */
export function dispatchLines(dispatches: readonly Dispatch[], marks = true): string[] {
  const width = Math.max(...dispatches.map((d) => d.kernel.length));
  return dispatches.flatMap((d, i) => {
    const wg = d.constants.WG ? ` of ${d.constants.WG}` : '';
    return [
      `${String(i + 1).padStart(3)}. ${d.kernel.padEnd(width)}  ${d.label}${marks ? WHEN[d.when] : ''}`,
      `     ${''.padEnd(width)}  ${d.grid[0]}×${d.grid[1]} workgroups${wg}: ${flow(d)}`,
    ];
  });
}

/** The whole program: the choice, one step, the last batch's step where it differs, the cost pass. */
export function explainProgram(program: StepProgram, choice: readonly string[]): string {
  const perStep = program.step.filter((d) => d.when !== 'cost').length;
  const withCost = program.step.filter((d) => d.when !== 'no-cost').length;
  const lines = [
    ...choice,
    '',
    `one step: ${plural(perStep, 'dispatch')} (${withCost} in a step that logs J), recorded by recordStep (src/gpu/program.ts) into one compute pass`,
    ...dispatchLines(program.step),
  ];
  if (program.lastBatch) {
    lines.push('', `the last, smaller batch of each epoch (step t with t mod ${program.lastBatch.every} = ${program.lastBatch.every - 1}) has its own dispatches:`, ...dispatchLines(program.lastBatch.step));
  }
  lines.push('', 'the cost pass (J and the metric on the whole training set, no update):', ...dispatchLines(program.cost, false));
  const kept = Object.keys(program.tensors);
  if (kept.length) lines.push('', `left in place for readTensor: ${kept.join(', ')}`);
  return lines.join('\n');
}
