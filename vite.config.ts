import { defineConfig } from 'vite';

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs
// (see shared/PITFALLS.md) and SharedArrayBuffer; every page here is same-origin.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  server: { host: '127.0.0.1', headers: isolation, strictPort: false },
  preview: { host: '127.0.0.1', headers: isolation },
  build: {
    outDir: 'dist',
    rollupOptions: { input: { demo: 'demo/index.html' } },
  },
});
