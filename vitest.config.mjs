import { defineConfig } from 'vitest/config';

// Node-side tests of pure logic; everything that needs a Worker, WASM or IndexedDB runs in Chromium (wtr).
export default defineConfig({ test: { include: ['test/node/**/*.test.ts'], environment: 'node' } });
