#!/usr/bin/env node
// Second half of `npm run setup`: make sure a Chromium with WebGPU is there, then
// prove it by asking a headless page for a WebGPU adapter. Plain Node ESM with no
// dependencies but node:* and (once installed) playwright, because it runs right
// after `npm install`, before anything is built.
//
// The search order is cli/browser.ts's findChromium(): $WEBGPU_CHROMIUM,
// Playwright's own download, the system's Chrome or Chromium. The paths and flags
// below mirror that file; keep the two in step.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const BROWSER_ENV = 'WEBGPU_CHROMIUM';
const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

const log = (line) => console.log(`[setup] ${line}`);
function fail(lines) {
  for (const line of [].concat(lines)) console.error(`[setup] ${line}`);
  process.exit(1);
}

async function loadPlaywright() {
  try {
    return (await import('playwright')).chromium;
  } catch (e) {
    fail([`cannot load playwright from node_modules (${e.message}).`, 'Run `npm install` first.']);
  }
}

function findChromium(chromium) {
  const explicit = process.env[BROWSER_ENV];
  if (explicit) {
    if (!existsSync(explicit)) fail(`${BROWSER_ENV}=${explicit}: no such file; point it at a Chrome or Chromium binary.`);
    return { path: explicit, source: `$${BROWSER_ENV}` };
  }
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return { path: bundled, source: "Playwright's download" };
  for (const path of SYSTEM_BROWSERS) if (existsSync(path)) return { path, source: 'system' };
  return null;
}

function osRelease() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const get = (key) => (text.match(new RegExp(`^${key}="?([^"\\n]*)"?`, 'm')) ?? [])[1] ?? '';
    return { id: get('ID'), like: get('ID_LIKE').split(/\s+/), pretty: get('PRETTY_NAME') };
  } catch {
    return null;
  }
}

function run(command, args) {
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
function install(chromium) {
  const os = process.platform === 'linux' ? osRelease() : null;
  const debianLike = os && (os.id === 'debian' || os.id === 'ubuntu' || os.like.includes('debian'));
  if (!debianLike) return false;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`[setup] ${os.pretty}: installing a browser needs root; run \`sudo npm run setup\` or install it yourself.`);
    return false;
  }
  log(`no Chrome or Chromium found; installing one on ${os.pretty}.`);
  if (os.id !== 'ubuntu') {
    // Debian's chromium package is a real browser; it is what the project is tested with.
    return run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']) && Boolean(findChromium(chromium));
  }
  // On Ubuntu apt's chromium is a snap stub, so prefer Playwright's own build and
  // its system libraries; the stub is the last resort.
  if (run(process.execPath, ['node_modules/playwright/cli.js', 'install', '--with-deps', 'chromium']) && findChromium(chromium)) return true;
  return run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']) && Boolean(findChromium(chromium));
}

/** The same flags as cli/browser.ts chromiumArgs(): WebGPU on, no phoning home. */
function chromiumArgs() {
  const args = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-default-apps', '--enable-unsafe-webgpu', '--enable-features=Vulkan'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

// navigator.gpu exists only in a secure context; http://127.0.0.1 is one,
// about:blank and file:// are not.
const PAGE = '<!doctype html><meta charset="utf-8"><title>WebGPU check</title>';

async function probeAdapter() {
  if (!navigator.gpu) return { error: 'navigator.gpu is undefined (WebGPU is disabled in this browser)' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { error: 'navigator.gpu.requestAdapter() returned null (no usable GPU or software adapter)' };
  const info = adapter.info ?? {};
  let device = 'ok';
  try {
    (await adapter.requestDevice()).destroy();
  } catch (e) {
    device = `requestDevice failed: ${e.message}`;
  }
  return {
    vendor: info.vendor || '(unknown)',
    architecture: info.architecture || '(unknown)',
    description: info.description || '',
    fallback: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    features: [...adapter.features].sort(),
    device,
  };
}

async function verify(chromium, choice) {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: choice.path, headless: true, args: chromiumArgs(), timeout: 60_000 });
    log(`launched ${browser.version()} headless`);
    const page = await browser.newPage();
    await page.goto(url);
    return await page.evaluate(probeAdapter);
  } catch (e) {
    return { error: `could not run ${choice.path}: ${e.message.split('\n')[0]}` };
  } finally {
    await browser?.close();
    server.close();
  }
}

const chromium = await loadPlaywright();
let choice = findChromium(chromium);
if (choice) {
  log(`using ${choice.path} (${choice.source})`);
} else {
  if (!install(chromium)) fail(['No Chrome or Chromium found.', ...HOW_TO_INSTALL]);
  choice = findChromium(chromium);
  log(`installed: using ${choice.path} (${choice.source})`);
}

const result = await verify(chromium, choice);
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
log(`features: ${result.features.join(', ') || '(none)'}`);
if (result.device !== 'ok') fail(`the adapter was found but ${result.device}.`);
log('ready: `npm run train` will use this browser.');
