// WebGPU in Node.js through the `webgpu` package (Dawn), an optional dependency.
// On macOS and Windows Dawn finds Metal or D3D12 by itself. On Linux it needs a
// Vulkan loader (libvulkan.so.1) and a driver; they are looked for the way the
// browser is found for the CLI:
//   1. an explicit driver: WEBGPU_VULKAN_DRIVER=/path/to/icd.json (or the loader's
//      own VK_ICD_FILENAMES / VK_DRIVER_FILES, used as they are);
//   2. the system's Vulkan drivers (a GPU vendor's, or Mesa's);
//   3. the SwiftShader driver that Chromium ships beside itself
//      (vk_swiftshader_icd.json, with its own libvulkan.so.1): WebGPU on the CPU.
// Where the system has no libvulkan.so.1, the one beside the chosen driver is
// loaded into the process first (dlopen, never unloaded), so that Dawn's
// dlopen("libvulkan.so.1") finds it by name: no LD_LIBRARY_PATH, no restart.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { GpuUnavailableError } from '../errors.ts';

export const DRIVER_ENV = 'WEBGPU_VULKAN_DRIVER';
/** Where the CLI's browser can be named (cli/browser.ts): its SwiftShader driver is beside it. */
const BROWSER_ENV = 'WEBGPU_CHROMIUM';

const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
const CHROMIUM_DIRS = ['/usr/lib/chromium', '/usr/lib/chromium-browser', '/opt/google/chrome', '/opt/chromium', '/snap/chromium/current/usr/lib/chromium-browser'];
const SWIFTSHADER_ICD = 'vk_swiftshader_icd.json';
/** glibc's RTLD_NODELETE: the library stays loaded after Node closes the handle. */
const RTLD_NODELETE = 0x1000;

/** Which driver the Node runtime uses, for messages and the benchmark. */
export interface NodeDriver {
  source: 'platform' | 'explicit' | 'system' | 'chromium';
  /** The ICD file (Linux), or null where the platform picks (macOS, Windows, the system's list). */
  icd: string | null;
}

export interface NodeGpu {
  gpu: GPU;
  driver: NodeDriver;
}

let loaded: Promise<NodeGpu> | null = null;

/** Dawn's GPU object with a driver that gives an adapter (found once per process). */
export function nodeGpu(): Promise<NodeGpu> {
  loaded ??= load();
  // A failed search may succeed later (a driver installed meanwhile): do not keep the failure.
  loaded.catch(() => (loaded = null));
  return loaded;
}

type Dawn = { create(flags: string[]): GPU; globals: Record<string, unknown> };

async function load(): Promise<NodeGpu> {
  let dawn: Dawn;
  try {
    dawn = (await import('webgpu')) as unknown as Dawn;
  } catch (error) {
    throw new GpuUnavailableError(
      `WebGPU in Node.js needs the \`webgpu\` package (Dawn): npm install webgpu. Loading it failed: ${(error as Error).message}`,
    );
  }
  // GPUBufferUsage, GPUMapMode, GPUShaderStage… as a page has them.
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  const tried: string[] = [];
  const attempt = async (driver: NodeDriver): Promise<NodeGpu | null> => {
    const gpu = dawn.create(['disable-dawn-features=timestamp_quantization']);
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (adapter) return { gpu, driver };
    tried.push(`${driver.source}${driver.icd ? ` (${driver.icd})` : ''}: no adapter`);
    return null;
  };
  if (process.platform !== 'linux') {
    const found = await attempt({ source: 'platform', icd: null });
    if (found) return found;
    throw new GpuUnavailableError(`Dawn found no GPU adapter on ${process.platform}: update the GPU driver (Metal on macOS, D3D12 on Windows).`);
  }

  const systemLoader = loadLibrary('libvulkan.so.1');
  const explicit = process.env[DRIVER_ENV];
  if (explicit) {
    if (!existsSync(explicit)) throw new GpuUnavailableError(`${DRIVER_ENV}=${explicit}: no such file; point it at a Vulkan driver's ICD file (…_icd.json)`);
    const found = await useDriver({ source: 'explicit', icd: explicit }, systemLoader, attempt, tried);
    if (found) return found;
    throw new GpuUnavailableError(`${DRIVER_ENV}=${explicit} gave no adapter (${tried.join('; ')}).`);
  }
  const loaderEnv = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (loaderEnv && systemLoader === true) {
    const found = await attempt({ source: 'explicit', icd: loaderEnv });
    if (found) return found;
  }
  if (systemLoader === true && systemIcds().length > 0) {
    const found = await attempt({ source: 'system', icd: null });
    if (found) return found;
  } else {
    tried.push(systemLoader === true ? 'system: no Vulkan driver in ' + SYSTEM_ICD_DIRS.join(', ') : `system: no Vulkan loader (${systemLoader})`);
  }
  for (const dir of chromiumDirs()) {
    const found = await useDriver({ source: 'chromium', icd: join(dir, SWIFTSHADER_ICD) }, systemLoader, attempt, tried);
    if (found) return found;
  }
  throw new GpuUnavailableError(
    `no WebGPU adapter for Node.js (tried ${tried.join('; ') || 'nothing'}). Install your GPU's Vulkan driver and the ` +
      'Vulkan loader (Debian/Ubuntu: apt-get install libvulkan1 mesa-vulkan-drivers, or the vendor\'s driver), or Chromium ' +
      `(its SwiftShader driver runs WebGPU on the CPU), or set ${DRIVER_ENV}=/path/to/driver_icd.json.`,
  );
}

/** Points the Vulkan loader at one ICD file, loading the libvulkan.so.1 beside it when the system has none. */
async function useDriver(
  driver: NodeDriver,
  systemLoader: true | string,
  attempt: (d: NodeDriver) => Promise<NodeGpu | null>,
  tried: string[],
): Promise<NodeGpu | null> {
  if (systemLoader !== true) {
    const beside = join(dirname(driver.icd!), 'libvulkan.so.1');
    const local = existsSync(beside) ? loadLibrary(beside) : `no ${beside}`;
    if (local !== true) {
      tried.push(`${driver.source} (${driver.icd}): no Vulkan loader (${local})`);
      return null;
    }
  }
  const before = { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES, VK_DRIVER_FILES: process.env.VK_DRIVER_FILES };
  process.env.VK_ICD_FILENAMES = process.env.VK_DRIVER_FILES = driver.icd!;
  const found = await attempt(driver);
  if (!found) {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return found;
}

/**
 * dlopen(path) for good: true when loaded, else why not. process.dlopen expects a
 * Node addon and throws "did not self-register" for any other library, after
 * loading it; RTLD_NODELETE keeps it loaded.
 */
function loadLibrary(path: string): true | string {
  try {
    process.dlopen({ exports: {} }, path, 2 /* RTLD_NOW */ | 256 /* RTLD_GLOBAL */ | RTLD_NODELETE);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    return /did not self-register/.test(message) ? true : message.split('\n')[0];
  }
}

function systemIcds(): string[] {
  return SYSTEM_ICD_DIRS.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
}

/** Folders of installed Chromium builds that hold a SwiftShader Vulkan driver, most explicit first. */
function chromiumDirs(): string[] {
  const dirs: string[] = [];
  const browser = process.env[BROWSER_ENV];
  if (browser && existsSync(browser)) dirs.push(dirname(realpathSync(browser)));
  const playwright = join(process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright'));
  try {
    for (const d of readdirSync(playwright).filter((d) => d.startsWith('chromium')).sort().reverse()) {
      for (const sub of ['chrome-linux', 'chrome-linux64', 'chrome-headless-shell-linux64']) dirs.push(join(playwright, d, sub));
    }
  } catch {
    // No Playwright browsers.
  }
  dirs.push(...CHROMIUM_DIRS);
  return [...new Set(dirs)].filter((d) => existsSync(join(d, SWIFTSHADER_ICD)));
}
