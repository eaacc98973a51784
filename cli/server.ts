// Serves the repository with Vite for `npm run train`: the page that drives the
// trainer (cli/page.html) imports the library's TypeScript and WGSL straight from
// src/ and shaders/, so Vite's on-the-fly transform is all the build there is.
// 127.0.0.1 because navigator.gpu exists only in a secure context, and loopback
// http counts as one.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface DevServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

export async function startServer(opts: { root?: string; port?: number } = {}): Promise<DevServer> {
  const server = await createServer({
    root: opts.root ?? REPO_ROOT,
    // vite.config.ts stays in charge of the shared settings (cross-origin
    // isolation headers for 5 µs performance.now()); these override what a
    // one-shot CLI server must not do.
    configFile: resolve(opts.root ?? REPO_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      // Port 0: the OS picks a free one, so parallel runs (and the test
      // server on 5199) never collide.
      port: opts.port ?? 0,
      strictPort: true,
      // No hot reload and no file watching: a reload in the middle of a training
      // run would lose it, and watching the tree costs CPU SwiftShader needs.
      // (ws: false instead would make Vite's client log connection errors.)
      hmr: false,
      watch: null,
    },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error('Vite started but did not report a TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}
