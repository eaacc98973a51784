// What the runner needs from each implementation: train from the shared start
// and report the cost, read back (the clock stops after that readback).
import type { Problem } from '../data.ts';

export interface Session {
  /** Puts the initial parameters back. */
  reset(): Promise<void>;
  /** Takes `steps` full-batch gradient steps, then reads back J of the new parameters. */
  train(steps: number): Promise<number>;
  /** Which implementation actually ran, e.g. the step variant or the backend. */
  detail: string;
  /** GPU time per kernel of one step, where the implementation can tell. */
  profile?(): Promise<{ kernel: string; microseconds: number }[]>;
  dispose(): void;
}

export interface Contender {
  create(problem: Problem): Promise<Session>;
}
