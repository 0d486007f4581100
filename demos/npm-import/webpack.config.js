// webpack 5 finds the worker and the runtime files by itself (`new Worker(new URL(…,
// import.meta.url))`, `new URL(…, import.meta.url)`): no loader, no copy step. It stops,
// though, at two Node-only lines in the bundled runtimes that Vite and Parcel pass over,
// and these three fallbacks are all it needs (README: "Ship it", npm import):
// - `await import('module')` in @mlc-ai/web-xgrammar's Emscripten glue (its Node branch);
// - `new URL('ort.wasm.min.mjs', import.meta.url)` (and the WebGPU twin) in onnxruntime-web,
//   its own file name for Node, a file the package does not ship.
import { fileURLToPath } from 'node:url';

/** @type {import('webpack').Configuration} */
export default {
  mode: 'production',
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('./dist-webpack/', import.meta.url)), clean: true },
  resolve: { fallback: { module: false, 'ort.wasm.min.mjs': false, 'ort.webgpu.min.mjs': false } },
  // The runtime's .wasm files are 14 and 26 MB by nature; a page downloads one, once.
  performance: { hints: false },
};
