/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Cross-origin isolation: required for SharedArrayBuffer and Atomics.wait in the host workers.
const coiHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  plugins: [react()],
  server: { headers: coiHeaders },
  // NO_COI_HEADERS=1 imitates a static host without custom headers (the coi-serviceworker e2e project).
  preview: { headers: process.env.NO_COI_HEADERS ? {} : coiHeaders },
  worker: { format: 'es' },
  build: {
    // BENCH_NOMINIFY=1: readable function names in benchmark profiles (BENCH_PROFILE).
    minify: !process.env.BENCH_NOMINIFY,
    rollupOptions: {
      // The benchmark page ships in the build so `npm run bench:runtime` measures production code.
      input: {
        main: 'index.html',
        runtimeBench: 'src/bench/runtime.html',
        seekBench: 'src/bench/seek.html',
        renderBench: 'src/bench/render.html',
      },
    },
  },
  test: {
    // Keeps Vitest away from the Playwright specs in e2e/.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
})
