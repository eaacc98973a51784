// The package as users get it: `npm pack`, installed offline into a fresh project
// (e2e/fixtures/consumer.ts), then used four ways: a Node script (Dawn, the optional
// `webgpu` package), a Vite app built by Vite and opened in headless Chromium, a plain
// HTML page whose <script type="module"> imports the built file from a static server,
// and TypeScript checking a file against the shipped types. Each run trains the
// course's flower network and must land on the seed's numbers (cost 0.187421, 92.5 %).
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO } from './fixtures/cli.ts';
import { freePort, installConsumer, pack, run, type Packed } from './fixtures/consumer.ts';

test.describe.configure({ mode: 'serial' });

const NAME = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')).name as string;
/** The seed's experiment through the public API; `report` gets { cost, accuracy, adapter }. */
const TRAIN = `
const { device, adapterName } = await requestGpu();
const trainer = await Trainer.create(device, { sizes: [2, 4, 1], learningRate: 1.2 }, makeDataset('flower'));
await trainer.train({ steps: 10_000 });
const { cost, accuracy } = await trainer.evaluate();
trainer.destroy();
device.destroy();
report({ cost, accuracy, adapter: adapterName });`;
const VITE = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

let dir = '';
let packed: Packed;
let server: ChildProcess | null = null;
let base = '';

test.beforeAll(async ({}, testInfo) => {
  test.setTimeout(240_000);
  dir = testInfo.outputPath('consumer');
  packed = await pack(testInfo.outputPath('pack'));
  await installConsumer(dir, packed);
  // The Vite app, built by Vite from the installed package (the browser export).
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title><script type="module" src="./main.js"></script>\n');
  await writeFile(join(dir, 'app', 'main.js'), `import { makeDataset, requestGpu, Trainer } from '${NAME}';\nconst report = (r) => { window.result = r; document.title = 'done'; };\n${TRAIN}\n`);
  await run(process.execPath, [VITE, 'build', '--logLevel', 'warn', '--base', './', '--outDir', join(dir, 'app-dist'), join(dir, 'app')], { cwd: dir });
  // The plain page: no bundler, the built file straight from node_modules.
  await writeFile(
    join(dir, 'plain.html'),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain</title>\n<script type="module">\nimport { makeDataset, requestGpu, Trainer } from './node_modules/${NAME}/lib/index.js';\nconst report = (r) => { window.result = r; document.title = 'done'; };\n${TRAIN}\n</script>\n`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}/`;
  server = spawn(process.execPath, [VITE, 'preview', '--outDir', '.', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}plain.html`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  server?.kill();
});

test('npm pack: a small tarball of lib/ (ES modules, kernels inlined, types), no tests, demo or benchmarks', () => {
  console.log(`tarball ${packed.tarball}: ${(packed.bytes / 1024).toFixed(1)} kB, ${packed.files.length} files`);
  expect(packed.bytes).toBeLessThan(200 * 1024);
  expect(packed.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'lib/index.js', 'lib/node.js', 'lib/types/src/index.d.ts', 'lib/types/src/node.d.ts']));
  expect(packed.files.filter((f) => !f.startsWith('lib/') && !['package.json', 'README.md'].includes(f))).toEqual([]);
  expect(packed.files.filter((f) => /\.(spec|test)\.|\.wgsl$|demo|bench|e2e/.test(f))).toEqual([]);
});

test('a Node script imports the package by name and trains on Dawn: the seed\'s cost and accuracy', async () => {
  await writeFile(join(dir, 'train.mjs'), `import { makeDataset, requestGpu, Trainer } from '${NAME}';\nconst report = (r) => console.log(JSON.stringify(r));\n${TRAIN}\n`);
  const { stdout } = await run(process.execPath, ['train.mjs'], { cwd: dir, timeout: 120_000 });
  const r = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(r.cost).toBeCloseTo(0.187421, 6);
  expect(r.accuracy).toBeCloseTo(0.925, 6);
  expect(r.adapter).toMatch(/\S/);
});

for (const [what, path] of [['a Vite app built from the package', 'app-dist/index.html'], ['a plain HTML page importing lib/index.js', 'plain.html']]) {
  test(`${what} trains in headless Chromium: the seed's cost and accuracy`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}${path}`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 60_000 });
    const r = await page.evaluate(() => (window as unknown as { result: { cost: number; accuracy: number } }).result);
    expect(r.cost).toBeCloseTo(0.187421, 6);
    expect(r.accuracy).toBeCloseTo(0.925, 6);
    expect(errors).toEqual([]);
  });
}

test('TypeScript checks a user\'s file against the shipped types (NodeNext and Bundler resolution), and catches a wrong option', async () => {
  const code = `import { Trainer, makeDataset, requestGpu, type TrainerOptions } from '${NAME}';
const options: TrainerOptions = { sizes: [2, 4, 1], learningRate: 1.2 };
export async function steps(): Promise<number> {
  const { device } = await requestGpu();
  const trainer = await Trainer.create(device, options, makeDataset('flower'));
  return (await trainer.train({ steps: 10 })).steps;
}
`;
  await writeFile(join(dir, 'check.ts'), code);
  await writeFile(join(dir, 'wrong.ts'), `import type { TrainerOptions } from '${NAME}';\nexport const o: TrainerOptions = { sizes: [2, 4, 1], learningRate: '1.2' };\n`);
  // One compiler run per resolution checks both files (a run costs seconds here): the only
  // error is the wrong option's, in wrong.ts; check.ts has none.
  for (const resolution of ['NodeNext', 'Bundler']) {
    const module = resolution === 'NodeNext' ? 'NodeNext' : 'ESNext';
    const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', module, '--moduleResolution', resolution, '--lib', 'ES2022,DOM'];
    const output = await run(process.execPath, [TSC, ...args, 'check.ts', 'wrong.ts'], { cwd: dir }).then(() => '', (e: { stdout: string }) => e.stdout);
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.length, `${resolution}: ${output}`).toBe(1);
    expect(errors[0], resolution).toMatch(/^wrong\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  }
});
