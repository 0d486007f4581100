/** The engine as apps hold it: its methods and what `info()` answers. Types only. */
import type { Capabilities } from './capabilities.js';
import type { EngineCache } from './engine-cache.js';
import type { ResolvedWorkerModel } from './model/spec.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from './openai.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from './openai-embeddings.js';
import type { EngineStats } from './stats/stats.js';
import type { HostChoice } from './worker/host-choice.js';
import type { AnswerPart, AnswerRequest } from './search/types.js';
import type { EmbeddingOptions, Embeddings, GenerateRequest, LoadOptions, ModelInfo, ObjectRequest, Part } from './types.js';

export interface EngineInfo {
  /** The generation model, once loaded. */
  model?: ModelInfo;
  /** The embedding model, once loaded. */
  embeddingModel?: ModelInfo;
  remote?: { baseURL: string; model: string };
  /** GPU-resident tensors the worker holds (the KV cache on WebGPU); 0 on WASM. */
  liveGpuTensors: number;
  /** Which worker hosts the local models, shared by the origin's tabs or the page's own, and why (see `share`). */
  host?: HostChoice;
}

export interface Engine {
  /** The first local model in the worker after catalog lookup and defaults; undefined without one. */
  readonly model: Readonly<ResolvedWorkerModel> | undefined;
  /**
   * Downloads (or reads from the cache) and opens the local model. Optional: `generate()`
   * loads lazily. Concurrent calls share one load; each caller's signal only ends its own wait.
   * @example await engine.load({ onProgress: (p) => bar.value = p.totalLoaded / p.totalBytes });
   */
  load(options?: LoadOptions): Promise<ModelInfo>;
  /**
   * Streams `text` parts, then exactly one `finish` part saying where it ran and why.
   * Invalid requests throw at once.
   * @example for await (const p of engine.generate({ prompt: 'Hi', maxTokens: 16 })) if (p.type === 'text') out += p.text;
   */
  generate(request: GenerateRequest): AsyncIterable<Part>;
  /**
   * Tokens the request's input takes (template and tools included) on the loaded local
   * model; `exact: false` when no local model is loaded yet and the number is the router's
   * low estimate (`load()` first for an exact count).
   * @example const { tokens } = await engine.countTokens({ messages }); if (tokens > 4000) messages.splice(1, 2);
   */
  countTokens(request: GenerateRequest): Promise<{ tokens: number; exact: boolean }>;
  /**
   * Answers `question` from the passages `index.search()` finds (an index from
   * `edgewise/search`): `source` parts first, numbered as the answer cites them, then the
   * answer's parts as `generate()` streams them, routed by the engine's policy (a remote
   * answer gets only those passages, redacted like any remote request).
   * @example for await (const p of engine.answer({ question: 'When is the dentist?', index })) if (p.type === 'source') cite(p); else if (p.type === 'text') out += p.text;
   */
  answer(request: AnswerRequest): AsyncIterable<AnswerPart>;
  /** The whole generated text of a request. @example const reply = await engine.text({ messages }); */
  text(request: GenerateRequest): Promise<string>;
  /**
   * A value of `schema`: the output is constrained to it on every route, parsed and
   * validated (an `invalid_output` error otherwise).
   * @example const { city } = await engine.object<{ city: string }>({ prompt: 'Capital of France?', schema: { type: 'object', properties: { city: { type: 'string', maxLength: 40 } }, required: ['city'] } });
   */
  object<T = unknown>(request: ObjectRequest): Promise<T>;
  /** OpenAI-compatible chat completions over the same engine. */
  readonly chat: {
    completions: {
      create(params: ChatCompletionCreateParams & { stream: true }): Promise<AsyncIterable<ChatCompletionChunk>>;
      create(params: ChatCompletionCreateParams & { stream?: false }): Promise<ChatCompletion>;
    };
  };
  readonly cache: EngineCache;
  /**
   * One vector per text, in input order, from the local embedding model or the remote
   * endpoint as the policy says. Texts cut at the model's maximum length are listed in
   * `truncated`; an empty list gives `[]`.
   * @example const [a, b] = await engine.embed(['The cat sat.', 'A kitten lay.']); const cos = dot(a, b);
   */
  embed(texts: readonly string[], options?: EmbeddingOptions): Promise<Embeddings>;
  /** OpenAI-compatible embeddings over the same engine. */
  readonly embeddings: { create(params: EmbeddingCreateParams): Promise<CreateEmbeddingResponse> };
  /** The device facts routing uses (probed once, cached; `online` is read fresh). */
  capabilities(): Promise<Capabilities>;
  /**
   * What is loaded where: the generation and embedding models' engines and devices (and why
   * that device), plus the GPU tensors the worker holds.
   */
  info(): Promise<EngineInfo>;
  /** Requests, tokens, latency and cost per place they ran, over the engine's lifetime. */
  stats(): EngineStats;
  /**
   * Releases a model from memory (`'model'`: the generation model, `'embeddingModel'`: the
   * embedding model, both when omitted). The engine stays usable: the next call loads it
   * again, from the cache when it is stored.
   * @example document.addEventListener('visibilitychange', () => { if (document.hidden) void engine.unload('model'); });
   */
  unload(which?: 'model' | 'embeddingModel'): Promise<void>;
  /** Cancels requests in flight, releases the model and ends the worker; settles within a second. */
  dispose(): Promise<void>;
}
