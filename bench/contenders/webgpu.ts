// This trainer: one Trainer on the page's device, variant 'auto' (or 'simple'),
// several steps' command buffers per submit. train() ends with an evaluation
// whose cost is read back, so its history's last point is J after the steps.
import type { Gpu } from '../../src/gpu/device.ts';
import type { StepVariant } from '../../src/network/step-types.ts';
import { Trainer } from '../../src/trainer.ts';
import type { Problem } from '../data.ts';
import type { Contender, Session } from './contender.ts';

export function webgpuContender(gpu: () => Promise<Gpu>, variant: StepVariant, stepsPerSubmit: number): Contender {
  return {
    async create(problem: Problem): Promise<Session> {
      const { device } = await gpu();
      const { size, data, init } = problem;
      const trainer = await Trainer.create(
        device,
        { sizes: size.sizes, activation: 'tanh', learningRate: size.learningRate, parameters: init, variant, stepsPerSubmit },
        data,
      );
      return {
        detail: `variant ${trainer.variant}, ${stepsPerSubmit} steps per submit`,
        async reset() {
          trainer.setParameters(init);
        },
        async train(steps) {
          const run = await trainer.train({ steps, logEvery: steps });
          return run.history[run.history.length - 1].cost;
        },
        profile: () => trainer.profileStep(),
        dispose: () => trainer.destroy(),
      };
    },
  };
}
