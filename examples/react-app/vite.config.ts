import { defineConfig } from 'vite';

export default defineConfig({
  // @temper/assets points at its files with `new URL('./file', import.meta.url)`; Vite emits them (hashed) in a
  // build. In `vite dev`, pre-bundling would move that module away from its files, so it is left alone.
  optimizeDeps: { exclude: ['@temper/assets'] },
  server: { proxy: { '/temper/v1': 'http://127.0.0.1:8080' } },
  build: { sourcemap: true },
});
