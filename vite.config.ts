import { defineConfig } from 'vite';

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs
// (see shared/PITFALLS.md) and SharedArrayBuffer; every page here is same-origin.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  // Dependency discovery may optimize a dependency after a page has loaded and
  // then force a full reload, killing a training run or a test. So nothing is
  // discovered: the one CommonJS dependency (protobufjs, for ONNX) is named here and
  // pre-bundled when the server starts; the rest are ESM, served as they are.
  optimizeDeps: { noDiscovery: true, include: ['protobufjs/minimal.js'] },
  server: {
    host: '127.0.0.1',
    headers: isolation,
    strictPort: false,
    // The test server (VITE_NO_WATCH=1) must not reload pages mid-test when files
    // change under it; the dev server keeps hot reload.
    ...(process.env.VITE_NO_WATCH ? { hmr: false, watch: null } : {}),
  },
  preview: { host: '127.0.0.1', headers: isolation },
  build: {
    outDir: 'dist',
    rollupOptions: { input: { root: 'index.html', demo: 'demo/index.html', mnist: 'demo/mnist.html', perf: 'demo/perf.html' } },
  },
});
