// Table-driven build: one row per artefact. Runtimes are never inlined into the main
// bundles: the worker `import()`s onnxruntime-web into a lazy chunk, and the runtime's
// .wasm/.mjs files are copied beside the SDK (no CDN, ever).
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { resolve as resolvePath } from 'node:path';

// The WASM-only build, and the WebGPU build (`onnxruntime-web/webgpu` loads the asyncify one).
// Start clean: lazy chunks carry content hashes, and stale ones would pile up in dist/.
rmSync('dist', { recursive: true, force: true });

const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];
// Minified + gzipped budget for what the page pays up front: the core (router, worker
// client, validation) without any runtime. The IIFE cannot split, so it also carries the
// remote client and the redaction detectors that the ESM build loads lazily.
// Issue 16 raised both: the core by ~0.9 KB for the transport rules checked synchronously
// at createEngine (https or loopback only, no user info, masked URLs in what it says) and
// the redact option's restore/model checks; the IIFE by ~7 KB for the secret and
// international-ID detectors it has to inline.
// Issue 18 raised the core by 0.2 KB for engine.answer() and engine.cache.indexes()/
// deleteIndex(): one lazy import each (retrieval, prompts and the index database are chunks).
// Issue 20 raised both by 0.9 KB for one model host per origin: the SharedWorker start
// (asked again when it does not answer), the page's presence lock, the connect turn shared
// with the worker's own end, the host
// choice and each request's model (a shared host may hold another tab's model when the
// request's turn comes).
const BUDGET = { 'edgewise.js': 17_250, 'edgewise.iife.js': 121_200 };

const resolve = () => nodeResolve({ browser: true, exportConditions: ['onnxruntime-web-use-extern-wasm', 'browser', 'import', 'default'] });
const ts = () => esbuild({ target: 'es2022', minify: false, sourceMap: true });
// onnx-proto (the ONNX schema as static protobufjs code, for the weight transform) is
// CommonJS. protobufjs probes for optional Node modules through `eval("require")`, which a
// strict CSP reports as a violation: the probe is replaced by "not found", its answer in a
// browser anyway.
const cjs = () => commonjs({ include: /node_modules\/(onnx-proto|protobufjs|@protobufjs)\// });
function noInquire() {
  return {
    name: 'no-inquire',
    load(id) {
      return /@protobufjs[\\/]inquire[\\/]index\.js$/.test(id) ? 'module.exports = function inquire() { return null; };' : null;
    },
  };
}

function copyOrt() {
  return {
    name: 'copy-ort',
    writeBundle() {
      mkdirSync('dist', { recursive: true });
      for (const f of ORT_FILES) copyFileSync(`node_modules/onnxruntime-web/dist/${f}`, `dist/${f}`);
    },
  };
}

function sizeReport() {
  return {
    name: 'size-report',
    writeBundle(options, bundle) {
      for (const [file, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const raw = Buffer.byteLength(chunk.code);
        const min = Buffer.from(transformSync(chunk.code, { minify: true, format: 'esm' }).code);
        const gz = gzipSync(min).length;
        const br = brotliCompressSync(min).length;
        const budget = BUDGET[file];
        const flag = budget && gz > budget ? `  OVER BUDGET (${budget})` : '';
        console.log(`  ${file.padEnd(32)} ${String(raw).padStart(9)} B  ${String(gz).padStart(8)} B min+gzip ${String(br).padStart(8)} B min+brotli${flag}`);
        // Everywhere, not only in CI: a budget that only CI enforces is found out after the push.
        if (flag) throw new Error(`${file} is ${gz} B min+gzip, over its ${budget} B budget`);
      }
    },
  };
}

// The faces (`edgewise/ai-sdk`, `edgewise/prompt-api`) are built on the public API and
// import it from `./edgewise.js`, never a copy: one engine implementation, one error class
// per page, and the core budget measures the core alone. The AI SDK's packages are peers.
const CORE = resolvePath('src/index.ts');
function coreExternal() {
  return {
    name: 'core-external',
    async resolveId(source, importer) {
      if (/^(ai|@ai-sdk\/provider)$/.test(source)) return { id: source, external: true };
      if (!importer || !source.startsWith('.')) return null;
      const r = await this.resolve(source, importer, { skipSelf: true });
      return r && r.id === CORE ? { id: 'edgewise-core', external: true } : null;
    },
  };
}
const FACES = { 'edgewise.ai-sdk': 'src/ai-sdk.ts', 'edgewise.prompt-api': 'src/prompt-api.ts', 'edgewise.search': 'src/search.ts' };

const rows = [
  // The remote endpoint and the redaction detectors are lazy chunks: a local-only page never loads them.
  { input: 'src/index.ts', preserveEntrySignatures: 'allow-extension', output: { dir: 'dist', format: 'es', entryFileNames: 'edgewise.js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true } },
  // A <script> tag cannot load chunks: everything page-side is inlined.
  { input: 'src/index.ts', output: { file: 'dist/edgewise.iife.js', format: 'iife', name: 'Edgewise', sourcemap: true, inlineDynamicImports: true } },
  // The conformance suite for backends (`edgewise/conformance`), for apps that write their own.
  { input: { 'edgewise.conformance': 'src/conformance.ts' }, output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true } },
  { input: FACES, output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true, paths: { 'edgewise-core': './edgewise.js' } }, extra: [coreExternal()], first: true },
  // The search worker (`edgewise/search` starts it beside itself): the index database and the packed vectors.
  { input: { 'edgewise.search.worker': 'workers/search.worker.ts' }, output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true } },
  {
    input: { 'edgewise.worker': 'workers/inference.worker.ts' },
    // The worker's entry has no exports, but its lazy chunks import shared code from it:
    // 'strict' would move that code into a chunk and leave the entry a stub that only
    // imports it, and the entry is where lazy-runtimes.test.ts reads the chunk names.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    extra: [copyOrt()],
  },
];

export default [
  ...rows.map(({ input, output, extra = [], first = false, preserveEntrySignatures = 'strict' }) => ({
    input,
    output,
    preserveEntrySignatures,
    plugins: first ? [...extra, noInquire(), resolve(), cjs(), ts(), sizeReport()] : [noInquire(), resolve(), cjs(), ts(), ...extra, sizeReport()],
    onwarn(w, warn) {
      // ORT's glue references `import.meta.url` and `eval`-free dynamic imports on purpose.
      if (w.code === 'EVAL' || w.code === 'CIRCULAR_DEPENDENCY') return;
      // @mlc-ai/web-xgrammar is a UMD bundle: its top-level `this` is undefined in ESM, and it
      // then puts its exports on globalThis.xgrammar, where grammar/xgrammar.ts looks for them.
      if (w.code === 'THIS_IS_UNDEFINED' && /web-xgrammar/.test(w.id ?? '')) return;
      warn(w);
    },
  })),
  { input: 'src/index.ts', output: { file: 'dist/edgewise.d.ts', format: 'es' }, plugins: [dts()] },
  { input: 'src/conformance.ts', output: { file: 'dist/edgewise.conformance.d.ts', format: 'es' }, plugins: [dts()] },
  ...Object.entries(FACES).map(([name, input]) => ({ input, output: { file: `dist/${name}.d.ts`, format: 'es', paths: { 'edgewise-core': './edgewise.js' } }, plugins: [coreExternal(), dts()] })),
];
