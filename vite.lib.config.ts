import { defineConfig } from 'vite';

// The installable library (`npm run build:lib`, run by `npm pack`): ES modules in
// lib/, one entry for pages and bundlers (src/index.ts) and one for Node.js
// (src/node.ts, picked by the "node" export condition). Every WGSL kernel is a
// module, so it is inlined; `webgpu` (Dawn, optional) and Node's own modules stay imports.
export default defineConfig({
  build: {
    outDir: 'lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, formats: ['es'] },
    rollupOptions: { external: ['webgpu', /^node:/] },
  },
});
