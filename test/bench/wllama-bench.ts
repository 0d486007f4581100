/**
 * The `cpu` part's in-browser llama.cpp peer: wllama (`@wllama/wllama` 3.8.1, llama.cpp
 * compiled to WASM, run in its own worker) on the GGUF files of the bench model
 * (test/fixtures/gguf.ts: the ONNX fixture's weights in q8_0 and q4_0). cpu-bench.ts loads
 * one handle per file in the speed page; the page is cross-origin isolated, so wllama picks
 * its multi-thread path for `n_threads` > 1 (it runs single-threaded at 1).
 *
 * wllama 3 wraps llama.cpp's server, and its completion takes text only (token ids fail:
 * "type must be string, but is array"). So a run sends the prompt text; the GGUF carries the
 * fixture tokenizer, which llama.cpp applies with the same ids (test/node/fixtures-gguf.test.ts
 * checks that), and `usage.prompt_tokens` is checked against the ids the others feed.
 * `n_predict` tokens, greedy (temperature 0), EOS ignored, no prompt cache between runs, so
 * every run prefills the whole prompt, as the other contenders do.
 *
 * `bannedIds`: wllama 3.8.1 serializes each streamed token's text with a strict JSON dump,
 * and a token that decodes to a lone UTF-8 continuation byte (random weights pick byte
 * tokens ≥ 0x80 now and then) makes it throw ("invalid UTF-8 byte") and kill the worker.
 * Those byte tokens get a `false` logit bias (never sampled); greedy ids only differ from
 * native llama.cpp's where one of them would have been the argmax.
 */
import { Wllama, type RawCompletionChunk, type RawCompletionParams, type StreamParams } from '@wllama/wllama/esm/index.js';
import { now, round } from './util.js';

export interface WllamaOpen {
  /** Same-origin URL of the GGUF file. */
  modelUrl: string;
  /** Same-origin URL of wllama's `wllama.wasm`. */
  wasmUrl: string;
  threads: number;
  contextSize: number;
  /** Token ids never to sample (see above). */
  bannedIds: readonly number[];
}

export interface PeerRun {
  ttftMs: number | null;
  decodeTokPerSec: number | null;
  completionTokens: number;
  promptTokens: number | null;
  totalMs: number;
  /** The generated text (wllama's stream carries text, not ids). */
  text: string;
  /** The server's own figures (`timings`): prompt_ms and predicted tokens/s, for a cross-check. */
  server: { promptMs: number | null; predictedPerSecond: number | null } | null;
}

export interface WllamaHandle {
  run(prompt: string, tokens: number): Promise<PeerRun>;
  dispose(): Promise<void>;
  info: Record<string, unknown>;
}

/** Fields llama.cpp's server takes that wllama's `RawCompletionParams` type does not list (or types otherwise). */
interface ServerFields {
  n_predict: number;
  cache_prompt: false;
  /** The server's form: [id, false] = never sample. */
  logit_bias: [number, false][];
}

export async function loadWllama(o: WllamaOpen): Promise<WllamaHandle> {
  const t0 = now();
  const w = new Wllama({ default: o.wasmUrl }, { suppressNativeLog: true });
  const r = await fetch(o.modelUrl);
  if (!r.ok) throw new Error(`${o.modelUrl}: HTTP ${r.status}`);
  const blob = await r.blob();
  const fetchMs = now() - t0;
  // n_gpu_layers 0: CPU (WASM) only, like the other contenders; one slot, one user.
  await w.loadModel([blob], { n_threads: o.threads, n_ctx: o.contextSize, n_gpu_layers: 0, n_parallel: 1 });
  const info = {
    loadMs: round(now() - t0),
    fetchMs: round(fetchMs),
    bytes: blob.size,
    multithread: w.isMultithread(),
    threads: w.getNumThreads(),
    libllama: Wllama.getLibllamaVersion(),
  };

  const banned = o.bannedIds.map((id): [number, false] => [id, false]);
  async function run(prompt: string, tokens: number): Promise<PeerRun> {
    const times: number[] = [];
    let text = '';
    let last: RawCompletionChunk | undefined;
    const request = {
      prompt,
      n_predict: tokens,
      max_tokens: tokens,
      temperature: 0,
      ignore_eos: true,
      cache_prompt: false,
      logit_bias: banned,
      stream: true,
      onData: (chunk: RawCompletionChunk) => {
        last = chunk;
        // One chunk per sampled token; the last one (finish_reason set) carries usage and timings.
        if (chunk.usage || chunk.choices[0]?.finish_reason) return;
        times.push(now());
        text += chunk.choices[0]?.text ?? '';
      },
    } as unknown as RawCompletionParams & StreamParams<RawCompletionChunk> & ServerFields;
    const t = now();
    await w.createCompletion(request);
    const tEnd = now();
    const n = last?.usage?.completion_tokens ?? times.length;
    const first = times[0];
    const lastTime = times[times.length - 1];
    const timings = last?.timings;
    return {
      ttftMs: first === undefined ? null : round(first - t),
      decodeTokPerSec: first !== undefined && lastTime !== undefined && times.length > 1 ? round(((times.length - 1) * 1000) / (lastTime - first), 2) : null,
      completionTokens: n,
      promptTokens: last?.usage?.prompt_tokens ?? null,
      totalMs: round(tEnd - t) as number,
      server: timings ? { promptMs: round(timings.prompt_ms), predictedPerSecond: round(timings.predicted_per_second, 2) } : null,
      text,
    };
  }

  return { run, dispose: () => w.exit(), info };
}
