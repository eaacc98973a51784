// Finds and launches a WebGPU-capable Chromium the way users' machines differ:
// an explicit environment variable, Playwright's own download, then the system's
// Chrome or Chromium. The network here is closed, so the flags that stop
// Chromium from phoning home are always passed.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';

export const BROWSER_ENV = 'WEBGPU_CHROMIUM';

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

export interface BrowserChoice {
  path: string;
  source: 'env' | 'playwright' | 'system';
}

/** Where the browser comes from, or null when none is found. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): BrowserChoice | null {
  const explicit = env[BROWSER_ENV];
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new Error(`${BROWSER_ENV}=${explicit}: no such file; point it at a Chrome or Chromium binary`);
    }
    return { path: explicit, source: 'env' };
  }
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return { path: bundled, source: 'playwright' };
  for (const path of SYSTEM_BROWSERS) if (existsSync(path)) return { path, source: 'system' };
  return null;
}

export const NO_BROWSER_MESSAGE =
  'No Chrome or Chromium found. Run `npm run setup` (on Debian/Ubuntu as root it installs ' +
  'the `chromium` package), install Chrome or Chromium yourself, or set ' +
  `${BROWSER_ENV}=/path/to/chrome.`;

/** Flags for WebGPU in headless Chromium on a machine with a closed network. */
export function chromiumArgs(opts: { webgpu?: boolean; profiling?: boolean; extraArgs?: string[] } = {}): string[] {
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
  ];
  if (opts.webgpu !== false) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan');
  // Unquantized timestamp queries (Chrome rounds them to 100 µs otherwise).
  if (opts.profiling) args.push('--enable-webgpu-developer-features');
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return [...args, ...(opts.extraArgs ?? [])];
}

export async function launchChromium(opts: { webgpu?: boolean; headless?: boolean; profiling?: boolean; extraArgs?: string[] } = {}): Promise<Browser> {
  const choice = findChromium();
  if (!choice) throw new Error(NO_BROWSER_MESSAGE);
  return chromium.launch({
    executablePath: choice.path,
    headless: opts.headless ?? true,
    args: chromiumArgs(opts),
  });
}
