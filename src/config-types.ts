/**
 * What an app configures: the models (one per engine kind), the remote endpoint, redaction,
 * routing and the engine options. Types only; `types.ts` re-exports them.
 */
import type { Capabilities } from './capabilities.js';
import type { Policy, RedactionType } from './route/vocab.js';
import type { BackendV3 } from './backends/backend.js';
import type { GenerateRequest, WasmWeights } from './types.js';

/** Weight formats, named as transformers.js names its ONNX files. */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'q4' | 'q4f16';

/** An ONNX model folder (the default engine). */
export interface ModelSpec {
  engine?: 'onnx';
  /** A catalog id (e.g. `'SmolLM2-135M-Instruct'`) or any name of yours; also the cache key. */
  id: string;
  /** Base URL of a folder in the Hugging Face / Optimum layout. Optional for catalog ids. */
  url?: string;
  /** Weight file to load; default `'q4'`. */
  dtype?: Dtype;
  /** Expected sha256 (hex) per file path relative to `url`, e.g. `{ 'onnx/model_q4.onnx': '…' }`. */
  sha256?: Readonly<Record<string, string>>;
  /** External-data files of the ONNX graph, relative to `url`; default from `config.json`. */
  externalData?: readonly string[];
  /** Approximate bytes of the weights, so routing can judge memory and storage before any download. */
  bytes?: number;
}

/**
 * A record of a model compiled for MLC (web-llm's `ModelRecord`), for models outside its
 * prebuilt list: the weights' URL, the compiled library's URL and what it needs.
 */
export interface WebLLMModelRecord {
  /** URL of the MLC weights folder (`…/resolve/main/`). */
  model: string;
  model_id: string;
  /** URL of the compiled `.wasm` model library. */
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  /** e.g. `['shader-f16']` for q4f16 models. */
  required_features?: string[];
  overrides?: Record<string, unknown>;
}

/** A model compiled for MLC, run by `@mlc-ai/web-llm` (WebGPU only) inside the SDK's worker. */
export interface WebLLMModelSpec {
  engine: 'webllm';
  /** An id from web-llm's prebuilt list (e.g. `'SmolLM2-360M-Instruct-q4f16_1-MLC'`) or `record.model_id`. */
  id: string;
  /** For models outside the prebuilt list. */
  record?: WebLLMModelRecord;
  /** Approximate bytes of the weights, for routing before any download. */
  bytes?: number;
}

/** The browser's built-in model through the Prompt API (`LanguageModel`), on the page. */
export interface BuiltinModelSpec {
  engine: 'builtin';
  /** Start the browser's model download in the background when it is `'downloadable'`; default false. Meanwhile requests go elsewhere. */
  allowDownload?: boolean;
}

/**
 * Your own backend, run as one of the engine's candidates (routing, failover, warnings,
 * validation and stats apply to it as to the built-in kinds). See docs/backend-contract.md.
 */
export interface CustomModelSpec {
  engine: 'custom';
  backend: BackendV3;
}

/** Any local generation model. */
export type LocalModelSpec = ModelSpec | WebLLMModelSpec | BuiltinModelSpec | CustomModelSpec;

/** A side a request can run on. */
export type RouteTarget = 'local' | 'remote';

/**
 * An app's own routing: one side, or an ordered list where later sides take over when
 * an earlier one fails before its first token.
 * @example route: (req) => (req.messages?.length ?? 0) > 8 ? 'remote' : ['local', 'remote']
 */
export type RouteFunction = (request: GenerateRequest, capabilities: Capabilities) => RouteTarget | readonly RouteTarget[];

/** Per-million-token prices of the remote model, for `finish.cost`. */
export interface RemotePrices {
  /** Price of one million prompt tokens. */
  input: number;
  /** Price of one million completion tokens. */
  output: number;
  /** Default `'USD'`. */
  currency?: string;
}

/**
 * Any OpenAI-compatible endpoint. Provider keys do not belong in browser code: let
 * `token` fetch a short-lived token from your own backend. Tokens are never stored.
 */
export interface RemoteOptions {
  /**
   * E.g. `'https://api.example.com/v1'`; requests go to `{baseURL}/chat/completions`. Must be
   * `https:` (`http:` only to loopback), without user info or fragment; a query string is
   * kept and the path goes before it (`…/deployments/d/chat/completions?api-version=…`).
   * Redirects are refused (`remote_protocol_error`), so nothing is re-sent to another origin.
   */
  baseURL: string;
  /** The remote model name sent in the request body. */
  model: string;
  /** The model for `/embeddings`; default `model`. */
  embeddingModel?: string;
  /** Extra headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Called before every HTTP attempt (retries included, so a retry never reuses a token that
   * expired during the backoff); its result is sent as `Authorization: Bearer …` and never stored.
   */
  token?: () => string | Promise<string>;
  prices?: RemotePrices;
  /**
   * Default 10 000 ms to response headers (`token()` included), 30 000 ms to the first
   * token, 30 000 ms between chunks, and `totalMs` (default 300 000 ms) for the whole request.
   */
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number; totalMs?: number };
  /** Retries on connection errors, 408, 409, 429 and 5xx, never after the first token; default 2. */
  maxRetries?: number;
}

/**
 * An on-device token-classification model (an ONNX BERT-style NER export, or the
 * open-weight privacy-filter model) that finds what patterns cannot: names, street
 * addresses, free-text secrets. It runs in the SDK's worker; nothing is downloaded
 * unless this is set.
 */
export interface RedactModelSpec {
  /** Cache key and display name, e.g. `'privacy-filter'`. */
  id: string;
  /** The model's folder (Optimum layout: `onnx/model.onnx`, `tokenizer.json`, `config.json` with `id2label`). */
  url: string;
  dtype?: Dtype;
  /** Spans the model is less sure of than this are ignored; default 0.5. */
  minScore?: number;
}

/** Where restoring values into the answer is allowed (see docs/privacy.md). */
export type RestoreMode = 'text' | 'all' | 'none';

/** What redaction looks for; every built-in type is on unless `types` narrows it. */
export interface RedactOptions {
  types?: readonly RedactionType[];
  /** Exact strings to hide (names, project code words), matched case-insensitively. */
  terms?: readonly string[];
  /** Your own patterns; each match is hidden as type `pattern`. */
  patterns?: readonly RegExp[];
  /**
   * `'text'` (default): originals come back in prose, never inside URLs, Markdown link or
   * image targets or HTML attributes, where a placeholder stays (counted in
   * `redactions.unrestored`); `'all'`: everywhere (an answer can then carry a value to a
   * URL the app renders); `'none'`: placeholders stay.
   */
  restore?: RestoreMode;
  /** The optional on-device model tier for names, addresses and free-text secrets. */
  model?: RedactModelSpec;
}

export interface EngineOptions {
  /**
   * The local generation model, or an ordered list of candidates (e.g. the built-in model,
   * then a web-llm model, then an ONNX model): the first the device can run serves, and
   * `finish.route.skipped` says why the others were passed over. Optional when `policy`
   * is `'remote-only'` or only embeddings are needed.
   */
  model?: LocalModelSpec | readonly LocalModelSpec[];
  /** A local embedding model: an ONNX encoder in the Optimum layout (`dtype` defaults to `'fp32'`), or a web-llm embedding model. */
  embeddingModel?: ModelSpec | WebLLMModelSpec | CustomModelSpec;
  /** An OpenAI-compatible endpoint for requests the device cannot serve. */
  remote?: RemoteOptions;
  /** Default `'prefer-local'` with a remote, `'local-only'` without one. */
  policy?: Policy;
  /** Redaction of personal data before a request leaves the page; default on. `false` turns it off. */
  redact?: false | RedactOptions;
  /** Go remote (under `prefer-local`) when the estimated local time exceeds this many ms. */
  maxLocalLatencyMs?: number;
  /** Decide routing yourself; the answer is validated (an unknown side is an `invalid_policy` error). */
  route?: RouteFunction;
  /** Keep weights in IndexedDB; default true. `false` downloads to memory only. */
  cache?: boolean;
  /** When storage is short: `'none'` fails with `quota_exceeded` (default); `'lru'` evicts least recently used models. */
  eviction?: 'none' | 'lru';
  /**
   * Where the ONNX generation model runs: `'auto'` (default) takes WebGPU when the adapter is
   * a real GPU that fits the model (fp16 weights need `shader-f16`), else WASM; `'webgpu'`
   * insists (typed error if impossible); `'wasm'` never touches the GPU.
   */
  device?: 'auto' | 'webgpu' | 'wasm';
  /**
   * Threads for the WASM backend; default: the core count (`hardwareConcurrency`, at most 4)
   * when the page is cross-origin isolated, else 1 (threads need SharedArrayBuffer, which
   * needs COOP/COEP headers). `engine.info().model.threads` says what was used.
   */
  numThreads?: number;
  /**
   * What a weight-only quantized ONNX decoder (q4 `MatMulNBits`, int8 `DequantizeLinear`)
   * becomes when it runs on WASM. `'auto'` (default): the faster of `'int8'` and `'fp32'`
   * on this device, timed on the first load and remembered in the cache (`'int8'` without
   * timing when the float32 form would not fit; with `cache: false`, `'fp32'` for a model
   * under 64 MB in float32, else `'int8'`). `'int8'`: int8 weights per output channel with dynamically
   * quantized activations, several times faster than the 4-bit kernel. `'fp32'`: the
   * dequantized weights, the file's own results exactly. `'source'`: the file as it is.
   * The rewrite runs once per model in the worker and is cached next to the file.
   */
  wasmWeights?: WasmWeights;
  /**
   * Whether the int8 form of a recognised Llama-family decoder runs on edgewise's own
   * decoder kernel (WebAssembly SIMD, int8 × int8 dot products, one call per layer op)
   * instead of onnxruntime-web. Default true: it decodes about twice as fast on the CPU path
   * (docs/speed.md). `false` runs every form on onnxruntime-web.
   * `engine.info().model.weights.runner` says which ran.
   */
  wasmKernel?: boolean;
  /**
   * Whether the engines of all tabs of the origin that run the same models share one model
   * host, a `SharedWorker` (the models load once; requests queue fairly, a turn per tab).
   * Default: share, unless the page is cross-origin isolated and would run 3 or more WASM
   * threads, or the app set `numThreads` above 1 (shared workers get no SharedArrayBuffer:
   * one thread). `false`: a worker of the page's own; `true`: share even then. Without SharedWorker or Web Locks the page runs
   * its own. `engine.info().host` says which and why.
   */
  share?: boolean;
  /** Where the worker and runtime files live; default: beside the SDK bundle. */
  assetsUrl?: string;
  /** Facts that override the probed ones (tests, or apps that know their device better). */
  capabilities?: Partial<Capabilities>;
}
