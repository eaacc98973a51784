// The step program as text (Trainer.explain(), `npm run train -- --explain`): printed from
// the same dispatch list that is recorded, so it names what runs. The README's step section
// is this output for the notes' kernels on the flower; UPDATE_README=1 rewrites it.
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDataset } from '../src/data/datasets.ts';
import { requestGpu } from '../src/node.ts';
import { Trainer } from '../src/trainer.ts';
import { expectSuccess, REPO, runCliInNode } from './fixtures/cli.ts';

const README = join(REPO, 'README.md');
const BLOCK = /(<!-- explain: --variant simple -->\n)[\s\S]*?(<!-- \/explain -->)/;

test("the README's step section is Trainer.explain() of the notes' kernels on the flower (--variant simple, 4 tanh units)", async () => {
  const gpu = await requestGpu();
  try {
    const trainer = await Trainer.create(gpu.device, { sizes: [2, 4, 1], learningRate: 1.2, variant: 'simple' }, makeDataset('flower'));
    const text = trainer.explain();
    trainer.destroy();
    // The notes' equations, in their order, one dispatch each.
    const order = ['Z1 = W1·X + b1', 'Z2 = W2·A1 + b2', 'J and the accuracy', 'dZ2 = A2 − Y', 'dW2 =', 'db2 =', 'dA1 = W2ᵀ·dZ2', 'dZ1 = dA1 ⊙', 'dW1 =', 'db1 =', 'W, b ← W, b − α'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0), `every equation in the program:\n${text}`).toBe(true);
    expect(at, 'in the order of the notes').toEqual([...at].sort((a, b) => a - b));
    expect(text).toContain('variant simple: asked for by name');
    expect(text).toContain('one step: 10 dispatches (11 in a step that logs J)');
    const readme = readFileSync(README, 'utf8');
    const block = `$1\`\`\`\n${text}\n\`\`\`\n$2`;
    if (process.env.UPDATE_README) writeFileSync(README, readme.replace(BLOCK, block));
    else expect(readme.match(BLOCK)?.[0], 'README.md: UPDATE_README=1 npx playwright test e2e/explain.spec.ts rewrites the block').toBe(`<!-- explain: --variant simple -->\n\`\`\`\n${text}\n\`\`\`\n<!-- /explain -->`);
  } finally {
    gpu.device.destroy();
  }
});

/** The dispatches of the first block ("one step: …") as [kernel, label] pairs. */
function stepDispatches(text: string): string[] {
  const block = text.slice(text.indexOf('one step:'), text.indexOf('\n\n', text.indexOf('one step:')));
  return block.split('\n').filter((line) => /^\s+\d+\. /.test(line)).map((line) => line.trim());
}

test('--explain prints the program and trains nothing: the seed default, [784, 128, 10] softmax Adam in batches of 128, and a deep regression', async () => {
  const [seed, mnist, deep] = await Promise.all([
    runCliInNode(['--explain']),
    runCliInNode(['--explain', '--dataset', 'mnist', '--layers', '128', '--activation', 'relu', '--optimizer', 'adam', '--lr', '0.001', '--batch-size', '128']),
    runCliInNode(['--explain', '--dataset', 'ripple', '--layers', '16,16,8', '--activation', 'relu']),
  ]);
  for (const run of [seed, mnist, deep]) {
    expectSuccess(run);
    expect(run.stdout).toMatch(/^variant \w+: /);
    expect(run.stderr, 'no training: no progress bar').not.toContain('step ');
    expect(run.stdout).toContain('the cost pass (J and the metric on the whole training set, no update):');
  }
  // The seed's network runs one of the variants written for it, whichever this adapter suits.
  expect(seed.stdout).toMatch(/^variant (lanes|fused|fused2|sparse|shared|tiled): /);

  // MNIST in batches: the batch's examples and columns first, softmax, Adam and the clock last;
  // 8,000 = 62·128 + 64: the last batch of an epoch has its own dispatches.
  const steps = stepDispatches(mnist.stdout);
  expect(steps[0]).toMatch(/^1\. batch_indices\s+the 128 examples of step t's batch/);
  expect(steps.slice(1, 3).map((s) => s.split(/\s+/)[1])).toEqual(['gather_columns', 'gather_columns']);
  expect(mnist.stdout).toContain('softmax_columns');
  expect(steps.at(-2)).toMatch(/update\(adam\)/);
  expect(steps.at(-1)).toMatch(/tick\s+clock \+= 1/);
  expect(mnist.stdout).toContain('the last, smaller batch of each epoch (step t with t mod 63 = 62) has its own dispatches:');
  expect(mnist.stdout).toContain('the 64 examples of step t\'s batch');
  expect(mnist.stdout).toContain('W1 (128, 784)');

  // Four layers forward, then back from dZ4 to dW1, one update.
  const deepSteps = stepDispatches(deep.stdout);
  for (const l of [1, 2, 3, 4]) expect(deepSteps.some((s) => s.includes(`Z${l} = W${l}·`))).toBe(true);
  expect(deepSteps.some((s) => s.includes('a_minus_y(linear)') && s.includes('dZ4 = A4 − Y'))).toBe(true);
  expect(deepSteps.findIndex((s) => s.includes('dW4 ='))).toBeLessThan(deepSteps.findIndex((s) => s.includes('dW1 =')));
  expect(deepSteps.filter((s) => /update\(sgd\)/.test(s))).toHaveLength(1);
});
