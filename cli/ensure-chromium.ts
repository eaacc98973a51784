// Second half of `npm run setup` (right after `npm install`, which brings tsx):
// make sure a Chromium with WebGPU is there, then prove it by asking a headless
// page for a WebGPU adapter. The search order and flags are cli/browser.ts's.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import { BROWSER_ENV, chromiumArgs, findChromium as find, type BrowserChoice } from './browser.ts';

const SOURCES: Record<BrowserChoice['source'], string> = { env: `$${BROWSER_ENV}`, playwright: "Playwright's download", system: 'system' };

const log = (line: string) => console.log(`[setup] ${line}`);
function fail(lines: string | string[]): never {
  for (const line of ([] as string[]).concat(lines)) console.error(`[setup] ${line}`);
  process.exit(1);
}

/** The browser to use, or null; a bad $WEBGPU_CHROMIUM fails with its message. */
function findChromium(): { path: string; source: string } | null {
  try {
    const choice = find();
    return choice && { path: choice.path, source: SOURCES[choice.source] };
  } catch (e) {
    return fail((e as Error).message);
  }
}

function osRelease() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const get = (key: string) => (text.match(new RegExp(`^${key}="?([^"\\n]*)"?`, 'm')) ?? [])[1] ?? '';
    return { id: get('ID'), like: get('ID_LIKE').split(/\s+/), pretty: get('PRETTY_NAME') };
  } catch {
    return null;
  }
}

function run(command: string, args: string[]): boolean {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const HOW_TO_INSTALL = [
  'Install one of these, then run `npm run setup` again:',
  '  - Debian:            sudo apt-get install chromium',
  '  - Ubuntu and others: npx playwright install --with-deps chromium',
  '                       (Ubuntu\'s apt "chromium-browser" is a stub for the snap, which containers cannot run)',
  '  - macOS / Windows:   Google Chrome (https://www.google.com/chrome/)',
  `  - or point ${BROWSER_ENV}=/path/to/chrome at a Chrome or Chromium binary.`,
];

/** Installs a browser where we know how and may; returns false otherwise. */
function install(): boolean {
  const os = process.platform === 'linux' ? osRelease() : null;
  const debianLike = os && (os.id === 'debian' || os.id === 'ubuntu' || os.like.includes('debian'));
  if (!debianLike) return false;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`[setup] ${os!.pretty}: installing a browser needs root; run \`sudo npm run setup\` or install it yourself.`);
    return false;
  }
  log(`no Chrome or Chromium found; installing one on ${os.pretty}.`);
  if (os.id !== 'ubuntu') {
    // Debian's chromium package is a real browser; it is what the project is tested with.
    return run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']) && Boolean(findChromium());
  }
  // On Ubuntu apt's chromium is a snap stub, so prefer Playwright's own build and
  // its system libraries; the stub is the last resort.
  if (run(process.execPath, ['node_modules/playwright/cli.js', 'install', '--with-deps', 'chromium']) && findChromium()) return true;
  return run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']) && Boolean(findChromium());
}

// navigator.gpu exists only in a secure context; http://127.0.0.1 is one,
// about:blank and file:// are not.
const PAGE = '<!doctype html><meta charset="utf-8"><title>WebGPU check</title>';

async function probeAdapter(): Promise<Record<string, string | boolean | string[]> & { error?: string }> {
  if (!navigator.gpu) return { error: 'navigator.gpu is undefined (WebGPU is disabled in this browser)' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { error: 'navigator.gpu.requestAdapter() returned null (no usable GPU or software adapter)' };
  const info = adapter.info ?? {};
  let device = 'ok';
  try {
    (await adapter.requestDevice()).destroy();
  } catch (e) {
    device = `requestDevice failed: ${(e as Error).message}`;
  }
  return {
    vendor: info.vendor || '(unknown)',
    architecture: info.architecture || '(unknown)',
    description: info.description || '',
    fallback: Boolean((adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    features: [...adapter.features].sort(),
    device,
  };
}

async function verify(choice: { path: string }): Promise<Record<string, string | boolean | string[]> & { error?: string }> {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    browser = await chromium.launch({ executablePath: choice.path, headless: true, args: chromiumArgs(), timeout: 60_000 });
    log(`launched ${browser.version()} headless`);
    const page = await browser.newPage();
    await page.goto(url);
    return await page.evaluate(probeAdapter);
  } catch (e) {
    return { error: `could not run ${choice.path}: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    await browser?.close();
    server.close();
  }
}

let choice = findChromium();
if (choice) {
  log(`using ${choice.path} (${choice.source})`);
} else {
  if (!install()) fail(['No Chrome or Chromium found.', ...HOW_TO_INSTALL]);
  choice = findChromium()!;
  log(`installed: using ${choice.path} (${choice.source})`);
}

const result = await verify(choice);
if (result.error) {
  fail([
    `WebGPU is not available: ${result.error}.`,
    'The trainer runs its WGSL kernels in headless Chromium, so it needs a WebGPU adapter there. Check that:',
    '  - the browser is a real Chromium/Chrome (not a snap stub) recent enough for WebGPU (113+);',
    `  - it starts headless as this user with --enable-unsafe-webgpu (try it: ${choice.path} --headless --enable-unsafe-webgpu);`,
    '  - without a GPU, its SwiftShader software adapter is present (Debian\'s chromium package has it).',
    `Set ${BROWSER_ENV}=/path/to/chrome to try another browser.`,
  ]);
}
log(
  `WebGPU adapter: vendor ${result.vendor}, architecture ${result.architecture}` +
    `${result.description ? ` (${result.description})` : ''}${result.fallback ? ', fallback (software) adapter' : ''}`,
);
log(`features: ${(result.features as string[]).join(', ') || '(none)'}`);
if (result.device !== 'ok') fail(`the adapter was found but ${result.device}.`);
log('ready: `npm run train` will use this browser.');
