// Nothing here tells Vite about edgewise: the worker and the runtime files are found through
// `new Worker(new URL(…, import.meta.url))` and `new URL(…, import.meta.url)` in the package.
// A plain object (no `defineConfig` import), so the demo's test can build it with the Vite
// of the edgewise repository.

// Cross-origin isolation lets the WASM runtime use threads; without it it runs on one.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** @type {import('vite').UserConfig} */
export default {
  // Two pages: the core alone (index.html), and the AI SDK and Prompt-API faces (faces.html).
  build: { rollupOptions: { input: { main: 'index.html', faces: 'faces.html' } } },
  server: { headers: isolation },
  preview: { headers: isolation },
};
