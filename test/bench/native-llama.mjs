// The `cpu` part's native peer: llama.cpp through node-llama-cpp, on the GGUF files of the
// bench model (test/fixtures/gguf.ts: the ONNX fixture's weights in q8_0 and q4_0). It is
// large (prebuilt binaries for many platforms), so it is no dependency of the project: the
// bench installs the pinned version on demand into test/bench/.peers/ (git-ignored), and
// reports the peer as skipped when that fails (offline, no registry).
//
// cpu-runner.mjs loads it in its own Node process and exposes `run` to the bench page, so
// native runs take their turn among the browser contenders, run by run. Alone:
//   node test/bench/native-llama.mjs [threads] [tokens]   (prints JSON: q8_0 and q4_0, 3 runs each)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** 3.21.1: later releases ship platform packages that npm ci cannot resolve here (see the env notes). */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';
const HERE = dirname(fileURLToPath(import.meta.url));
const PEERS = join(HERE, '.peers');
const ENTRY = join(PEERS, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');

function installedVersion() {
  try {
    return JSON.parse(readFileSync(join(PEERS, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Installs node-llama-cpp into test/bench/.peers/ unless that version is there. Returns null or why it is missing. */
export function ensureNodeLlamaCpp(say) {
  if (installedVersion() === NODE_LLAMA_CPP_VERSION) return null;
  say(`bench: installing node-llama-cpp@${NODE_LLAMA_CPP_VERSION} into ${PEERS} (once; git-ignored)`);
  mkdirSync(PEERS, { recursive: true });
  // Its own package.json, so npm does not walk up to the project's and touch its lock.
  if (!existsSync(join(PEERS, 'package.json'))) writeFileSync(join(PEERS, 'package.json'), '{ "private": true }\n');
  const r = spawnSync('npm', ['i', '--prefix', PEERS, '--no-save', '--no-audit', '--no-fund', '-E', `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`], {
    encoding: 'utf8',
    timeout: 300_000,
    // Its postinstall would try to download or build llama.cpp; the prebuilt binary package is enough.
    env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
  });
  if (r.status === 0 && installedVersion() === NODE_LLAMA_CPP_VERSION) return null;
  return `npm i node-llama-cpp@${NODE_LLAMA_CPP_VERSION} failed (${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
}

/**
 * One loaded model at a fixed thread count. `run` clears the sequence (no prompt cache
 * between runs), evaluates the prompt ids and greedy-decodes exactly `tokens` tokens
 * (EOS is not checked: evaluate() generates until the caller stops), timed on Node's clock.
 */
async function loadModel(llama, modelPath, threads, contextSize) {
  const t0 = performance.now();
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize, threads: { ideal: threads, min: threads } });
  const sequence = context.getSequence();
  const loadMs = performance.now() - t0;
  return {
    loadMs: Math.round(loadMs),
    threads: context.currentThreads ?? threads,
    async run(promptIds, tokens) {
      await sequence.clearHistory();
      const ids = [];
      const t = performance.now();
      let tFirst = 0;
      for await (const id of sequence.evaluate(promptIds, { temperature: 0 })) {
        if (ids.length === 0) tFirst = performance.now();
        ids.push(id);
        if (ids.length >= tokens) break;
      }
      const tEnd = performance.now();
      const n = ids.length;
      return {
        ttftMs: tFirst - t,
        decodeTokPerSec: n > 1 ? ((n - 1) * 1000) / (tEnd - tFirst) : null,
        completionTokens: n,
        promptTokens: promptIds.length,
        totalMs: tEnd - t,
        ids,
        // To set beside wllama's text (its stream has no ids).
        text: model.detokenize(ids),
      };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

/**
 * The native peer for one thread count: `{ models: { q8_0, q4_0 }, info }`, or `{ skipped }`.
 * @param {{ files: Record<string, string>, threads: number, contextSize?: number, say: (l: string) => void }} o
 */
export async function openNative({ files, threads, contextSize = 2048, say }) {
  const why = ensureNodeLlamaCpp(say);
  if (why) return { skipped: why };
  const missing = Object.values(files).filter((f) => !existsSync(f));
  if (missing.length) return { skipped: `GGUF files missing (${missing.join(', ')}): run \`npx tsx test/fixtures/generate.ts --bench\`` };
  try {
    const { getLlama, LlamaLogLevel } = await import(pathToFileURL(ENTRY).href);
    // CPU only, the prebuilt binary, never a build from source; maxThreads = the count asked.
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: threads });
    const models = {};
    for (const [name, path] of Object.entries(files)) models[name] = await loadModel(llama, path, threads, contextSize);
    const info = { version: NODE_LLAMA_CPP_VERSION, llamaCppRelease: llama.llamaCppRelease?.release ?? null, buildType: llama.buildType ?? null, gpu: llama.gpu, cpuMathCores: llama.cpuMathCores ?? null };
    return {
      models,
      info,
      async dispose() {
        for (const m of Object.values(models)) await m.dispose();
        await llama.dispose();
      },
    };
  } catch (e) {
    return { skipped: `node-llama-cpp failed to load: ${e?.message ?? e}` };
  }
}

// Alone: a quick look at the native peer without the browser.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const threads = Number(process.argv[2] || 2);
  const tokens = Number(process.argv[3] || 64);
  const dir = join(HERE, '..', 'fixtures', 'out', process.env.BENCH_MODEL || 'smollm2-135m-shape', 'gguf');
  const say = (l) => process.stderr.write(`${l}\n`);
  const native = await openNative({ files: { q8_0: join(dir, 'model-q8_0.gguf'), q4_0: join(dir, 'model-q4_0.gguf') }, threads, say });
  if (native.skipped) {
    process.stdout.write(`${JSON.stringify({ skipped: native.skipped })}\n`);
  } else {
    const prompt = Array.from({ length: 68 }, (_, i) => 3 + ((i * 37) % 200));
    const out = { threads, tokens, info: native.info };
    for (const [name, m] of Object.entries(native.models)) {
      out[name] = [];
      for (let i = 0; i < 3; i++) {
        const { ids, ...r } = await m.run(prompt, tokens);
        out[name].push({ ...r, firstIds: ids.slice(0, 8) });
      }
    }
    await native.dispose();
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  }
}
