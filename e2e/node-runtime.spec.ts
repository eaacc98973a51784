// The library in Node.js on Dawn (src/node.ts), no browser: the test harness's own
// functions (e2e/harness.ts) run in this process on the device that requestGpu()
// finds here (Chromium's SwiftShader Vulkan driver on this machine). The checks that
// matter: one step against the float64 reference at awkward shapes, the course's
// flower result to the digit, and a lost device resumed bit for bit.
import { expect, test } from '@playwright/test';
import { makeDataset } from '../src/data/datasets.ts';
import { initParameters } from '../src/model/init.ts';
import { requestGpu } from '../src/node.ts';
import { harness, useGpu } from './harness.ts';
import { plain, randomData } from './fixtures/data.ts';
import { expectStepMatchesReference } from './fixtures/one-step.ts';
import type { Activation } from '../src/types.ts';

useGpu(() => requestGpu());

test('requestGpu() in Node finds an adapter through Dawn and says which driver', async () => {
  const gpu = await requestGpu();
  try {
    expect(gpu.adapterName).toMatch(/\S/);
    expect(['platform', 'explicit', 'system', 'chromium']).toContain(gpu.driver.source);
    console.log(`Node: ${gpu.adapterName}, driver ${gpu.driver.source} ${gpu.driver.icd ?? ''}`);
  } finally {
    gpu.device.destroy();
  }
});

const stepCases: { sizes: number[]; activation: Activation; m: number }[] = [
  { sizes: [3, 5, 1], activation: 'tanh', m: 1 },
  { sizes: [3, 5, 1], activation: 'relu', m: 257 },
  { sizes: [4, 5, 3, 1], activation: 'sigmoid', m: 33 },
];
for (const { sizes, activation, m } of stepCases) {
  const name = `sizes=[${sizes}], ${activation}, m=${m}`;
  test(`Node: one step, every tensor and the update match the float64 reference (${name})`, async () => {
    const data = randomData(sizes[0], m, 7);
    const params = initParameters(sizes, 'xavier', 3);
    const gpu = await harness.oneStep({ sizes, activation, learningRate: 0.7, data, parameters: plain(params), variant: 'simple' });
    expectStepMatchesReference(gpu, { params, activation, data, learningRate: 0.7, name });
  });
}

test("Node: the course's flower result to the digit (4 tanh units, lr 1.2, 10,000 steps: cost 0.187421, 92.50 %)", async () => {
  const run = await harness.trainRun({
    sizes: [2, 4, 1], activation: 'tanh', learningRate: 1.2, init: 'course', seed: 1, dataset: { name: 'flower' }, steps: 10_000, logEvery: 1000,
  });
  expect(run.metrics.cost).toBeCloseTo(0.187421, 6);
  expect(run.metrics.accuracy).toBeCloseTo(0.925, 6);
  expect(makeDataset('flower').m).toBe(400);
});

test('Node: a device lost mid-run (mini-batches, Adam) leaves a checkpoint; a trainer on a new device resumes bit for bit', async () => {
  const c = {
    sizes: [2, 16, 16, 3], activation: 'relu' as const, head: 'softmax' as const, optimizer: 'adam' as const, batchSize: 32,
    init: 'he' as const, seed: 5, dataset: { name: 'spiral' as const, classes: 3, m: 300 }, learningRate: 0.01,
  };
  const r = await harness.loseDeviceResume({ ...c, loseAfter: 300, more: 45 });
  expect(r.error?.name).toBe('DeviceLostError');
  const k = r.checkpoint.step;
  expect(k).toBeGreaterThan(0);
  const whole = await harness.generalRun({ ...c, steps: k + 45 });
  expect(r.resumed.params).toEqual(whole.params);
  expect(r.resumed.state).toEqual(whole.state);
});
