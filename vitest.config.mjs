import { defineConfig } from 'vitest/config';

// Node-side tests of pure logic; everything that needs a Worker, WASM or IndexedDB runs in Chromium (wtr).
// `vitest run --coverage` (npm run test:node) prints a V8 coverage summary of src/. Code
// that needs a Worker, WASM or IndexedDB shows low here by design: it runs in Chromium,
// whose coverage (wtr --coverage) measures the page side only, not the worker.
export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts'],
    environment: 'node',
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary'], reportsDirectory: 'coverage/node' },
  },
});
