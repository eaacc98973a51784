// Which adapters count as fallback (software) adapters: the step's choice between the
// register-tiled products and the workgroup-memory ones goes by this (src/network/step.ts).
import { expect, test } from '@playwright/test';
import { isFallbackDevice } from './device.ts';

const deviceWith = (info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }) => ({ adapterInfo: { vendor: '', architecture: '', device: '', description: '', ...info } }) as unknown as GPUDevice;

test('isFallbackDevice: the adapter info flag, or a software renderer by name; GPUs are not', () => {
  expect(isFallbackDevice(deviceWith({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
  expect(isFallbackDevice(deviceWith({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(true);
  expect(isFallbackDevice(deviceWith({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }))).toBe(true);
  expect(isFallbackDevice(deviceWith({ vendor: 'x', isFallbackAdapter: true }))).toBe(true);
  expect(isFallbackDevice(deviceWith({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }))).toBe(false);
  expect(isFallbackDevice(deviceWith({ vendor: 'apple', architecture: 'metal-3' }))).toBe(false);
  expect(isFallbackDevice(deviceWith({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: false }))).toBe(false);
});
