import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { cspPlugin } from './deploy/csp-plugin.ts';
import { arrowWithoutEval } from './deploy/arrow-without-eval.ts';

export default defineConfig({
  // The Content-Security-Policy header on every response, and the same policy in index.html;
  // Arrow's builders made to work without 'unsafe-eval', here and in the worker bundles.
  plugins: [svelte(), cspPlugin(), arrowWithoutEval()],
  // Workers are ES modules: they import comlink, h3-js and duckdb-wasm's async API.
  worker: { format: 'es', plugins: () => [arrowWithoutEval()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm', 'highs'] },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'demo/**/*.test.ts', 'test/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // DuckDB's Node builds write an extension cache under $HOME/.duckdb: keep it out of the real home.
    env: { HOME: '.duckdb-home' },
  },
});
