/**
 * A recording fake of web-llm's engine: `FakeMLCEngine implements MLCEngineInterface`
 * (web-llm 0.2.86), with web-llm's own `Chat` wrapper and its own request validation
 * (`postInitAndCheckFieldsChatCompletion`), so `chat.completions.create()` runs web-llm's
 * code down to `chatCompletion()`. No GPU, no model: it plays scripted progress reports,
 * streams scripted chunks shaped like web-llm's (delta chunks, a finish chunk, a usage
 * chunk), honours `interruptGenerate()` at the next step as web-llm does, throws what the
 * script says (tests script errors of web-llm's own classes), and records every call:
 * each chat request as it arrived (`response_format`, `tools`, `tool_choice` included)
 * and as web-llm's validation left it (which, for function calling, adds its own system
 * prompt and response format).
 *
 * Function calling as web-llm 0.2.86 streams it (`makeStreamFinalChunk`): with `tools`,
 * the scripted chunks are the model's raw call list (see `toolCallChunks`), streamed as
 * text; on a `stop` the final chunk says `tool_calls` and carries the parsed calls in
 * `delta.tool_calls` (index, name, arguments re-serialized, no id), or throws web-llm's
 * `ToolCallOutputParseError` / `ToolCallOutputInvalidTypeError` / `JSONFieldError` when
 * the text is not a list of `{ name, arguments }`. A scripted JSON answer is just chunks.
 * `embeddings.create()` is web-llm's own `Embeddings` wrapper over a scripted `embedding()`
 * that checks the request with web-llm's `postInitAndCheckFieldsEmbedding`, refuses a model
 * whose record is not `ModelType.embedding` as web-llm does, and answers `fakeEmbedding()`s.
 */
import * as webllm from '@mlc-ai/web-llm';
import type {
  AppConfig, ChatCompletion, ChatCompletionChunk, ChatCompletionFinishReason, ChatCompletionRequest,
  ChatCompletionRequestBase, ChatCompletionRequestNonStreaming, ChatCompletionRequestStreaming, ChatOptions,
  CreateEmbeddingResponse, EmbeddingCreateParams, InitProgressCallback, InitProgressReport, MLCEngineConfig, MLCEngineInterface,
} from '@mlc-ai/web-llm';
import type { WebLLMModule } from '../../src/backends/webllm/index.js';

export interface FakeMLCScript {
  /** Delta contents, one per decode step; default four. */
  chunks?: readonly string[];
  /** Delay of each decode step (and of the prefill); default 1 ms. */
  stepMs?: number;
  /** web-llm's finish_reason when the chunks run out; default 'stop'. */
  finishReason?: 'stop' | 'length';
  promptTokens?: number;
  /** Reports played through `initProgressCallback` during `reload()`; default `progressReports(false)`. */
  progress?: readonly InitProgressReport[];
  progressStepMs?: number;
  /** Thrown by `reload()` after the progress reports. */
  loadError?: () => unknown;
  /** Thrown by the stream after this many chunks. */
  errorAfter?: { chunks: number; error: () => unknown };
  /** What `hasModelInCache` answers; default false. */
  cached?: boolean;
  cacheError?: () => unknown;
  /**
   * How `reload()` ends when `unload()` aborts it. web-llm resolves quietly when the abort
   * surfaces as a DOMException AbortError, and rejects when its IndexedDB cache wrapped it
   * in a plain Error ("Failed to store … AbortError …"). Default 'resolve'.
   */
  abortedReload?: 'resolve' | 'reject';
  /** Length of each `fakeEmbedding()`; default 8. */
  embedDims?: number;
  /** Delay of each `embedding()` call; default 1 ms. */
  embedStepMs?: number;
  /** Thrown by the `embedding()` call of this index (0-based, counting every call on the engine). */
  embedError?: { call: number; error: () => unknown };
  /** Answer `data` last-index-first (web-llm sends `index`; an adapter must not assume the order). */
  embeddingsReversed?: boolean;
}

export type FakeMLCCall =
  | { method: 'construct'; config: MLCEngineConfig }
  | { method: 'reload'; modelId: string | string[] }
  /** `request`: a copy as it arrived; `effective`: after web-llm's validation (which edits it in place). */
  | { method: 'chatCompletion'; request: ChatCompletionRequestBase; effective: ChatCompletionRequestBase }
  | { method: 'embedding'; request: EmbeddingCreateParams }
  | { method: 'interruptGenerate' }
  | { method: 'unload'; duringReload: boolean }
  | { method: 'hasModelInCache' | 'deleteModelAllInfoInCache'; modelId: string; appConfig: AppConfig | undefined };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** web-llm 0.2.86's sentences for one load of `shards` shards (fetched, or read from its cache). */
export function progressReports(cached: boolean, shards = 4): InitProgressReport[] {
  const out: InitProgressReport[] = [{ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }];
  const step = (verb: string, i: number): InitProgressReport => ({
    progress: i / shards, timeElapsed: i,
    text: `${verb}[${i}/${shards}]: ${i * 50}MB ${verb.startsWith('Fetching') ? 'fetched' : 'loaded'}. ${Math.floor((i * 100) / shards)}% completed, ${i} secs elapsed.`,
  });
  if (!cached) for (let i = 1; i <= shards; i++) out.push(step('Fetching param cache', i));
  for (let i = 1; i <= shards; i++) out.push(step('Loading model from cache', i));
  out.push({ progress: 0.5, timeElapsed: 1, text: 'Loading GPU shader modules[10/20]: 50% completed, 1 secs elapsed.' });
  out.push({ progress: 1, timeElapsed: 2, text: 'Loading GPU shader modules[20/20]: 100% completed, 2 secs elapsed.' });
  out.push({ progress: 1, timeElapsed: 2, text: 'Finish loading on WebGPU - fake' });
  return out;
}

/** A model's raw function-calling answer (the JSON list web-llm's Hermes format asks for), cut into `pieces` chunks. */
export function toolCallChunks(calls: readonly { name: string; arguments: unknown }[], pieces = 3): string[] {
  const text = JSON.stringify(calls);
  const size = Math.ceil(text.length / pieces);
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** web-llm 0.2.86's `getToolCallFromOutputMessage(text, true)`, with its errors' names and texts (the classes are not exported). */
function streamedToolCalls(text: string): ChatCompletionChunk.Choice.Delta.ToolCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw named('ToolCallOutputParseError', `Internal error: error encountered when parsing outputMessage for function calling. Got outputMessage: ${text}\nGot error: ${String(err)}`);
  }
  if (!Array.isArray(parsed)) throw named('ToolCallOutputInvalidTypeError', 'Internal error: expect output of function calling to be an array');
  return parsed.map((call: { name?: unknown; arguments?: unknown }, index) => {
    if (call.name === undefined || call.arguments === undefined) {
      throw named('JSONFieldError', `Expect generated tool call to have fields "\`name\`", "\`arguments\`", but got object: ${JSON.stringify(call)}`);
    }
    return { index, function: { name: String(call.name), arguments: JSON.stringify(call.arguments) }, type: 'function' as const };
  });
}

/** The fake's vector for `text`: deterministic, distinct per text, not unit length. */
export function fakeEmbedding(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, d) => (text.charCodeAt(d % text.length) % 17) + d + 1);
}

/** The fake's token count for `text`: its words plus `[CLS]` and `[SEP]`. */
export const fakeTokenCount = (text: string): number => text.split(/\s+/).filter(Boolean).length + 2;

/** web-llm 0.2.86's EmbeddingUnsupportedModelError (not exported), with its name and text. */
function embeddingUnsupportedModelError(model: string): Error {
  const e = new Error(`Trying to run embeddings.create() with ${model}, which does not have ModelRecord.model_type === ModelType.embedding in the model record. Either make sure an embedding model is loaded, or specify the model type in ModelRecord.`);
  e.name = 'EmbeddingUnsupportedModelError';
  return e;
}

export class FakeMLCEngine implements MLCEngineInterface {
  chat: webllm.Chat;
  completions: webllm.Completions;
  embeddings: webllm.Embeddings;
  readonly config: MLCEngineConfig;
  loadedModel: string | undefined;
  #progress: InitProgressCallback | undefined;
  #interrupt = false;
  #reloadAborted = false;
  #reloading = false;
  #lock: Promise<void> = Promise.resolve();
  #embeddingCalls = 0;

  /** `scriptOf` is read on every call, so a test can change the script of a live engine. */
  constructor(config: MLCEngineConfig, private readonly scriptOf: () => FakeMLCScript, readonly calls: FakeMLCCall[]) {
    this.config = config;
    this.#progress = config.initProgressCallback;
    calls.push({ method: 'construct', config });
    // web-llm's own wrappers: `chat.completions.create(r)` calls `this.chatCompletion(r)`.
    this.chat = new webllm.Chat(this);
    this.completions = new webllm.Completions(this);
    this.embeddings = new webllm.Embeddings(this);
  }

  get script(): FakeMLCScript { return this.scriptOf(); }

  setInitProgressCallback(cb: InitProgressCallback): void { this.#progress = cb; }
  getInitProgressCallback(): InitProgressCallback | undefined { return this.#progress; }
  setAppConfig(): void { throw new Error('FakeMLCEngine: setAppConfig is not scripted'); }

  async reload(modelId: string | string[], _chatOpts?: ChatOptions | ChatOptions[]): Promise<void> {
    this.calls.push({ method: 'reload', modelId });
    await this.#unloadQuietly();
    this.#reloadAborted = false;
    this.#reloading = true;
    try {
      const id = Array.isArray(modelId) ? modelId[0] ?? '' : modelId;
      if (!this.config.appConfig?.model_list.some((m) => m.model_id === id)) throw new Error(`FakeMLCEngine: ${id} is not in appConfig`);
      for (const report of this.script.progress ?? progressReports(false)) {
        await sleep(this.script.progressStepMs ?? 1);
        if (this.#reloadAborted) {
          if (this.script.abortedReload === 'reject') throw new Error('Failed to store https://fake/params_shard_0.bin with error: AbortError: This operation was aborted');
          return;
        }
        this.#progress?.(report);
      }
      if (this.script.loadError) throw this.script.loadError();
      this.loadedModel = id;
    } finally {
      this.#reloading = false;
    }
  }

  chatCompletion(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion>;
  chatCompletion(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
  chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  chatCompletion(request: ChatCompletionRequest): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  async chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    this.calls.push({ method: 'chatCompletion', request: structuredClone(request), effective: request });
    const model = this.loadedModel;
    if (model === undefined) throw new Error('FakeMLCEngine: chatCompletion before reload');
    webllm.postInitAndCheckFieldsChatCompletion(request as ChatCompletionRequest, model, webllm.ModelType.LLM);
    if (request.stream !== true) throw new Error('FakeMLCEngine: only streaming is scripted');
    return this.#stream(request, model);
  }

  async *#stream(request: ChatCompletionRequestBase, model: string): AsyncGenerator<ChatCompletionChunk, void, void> {
    const previous = this.#lock;
    let release = (): void => undefined;
    this.#lock = new Promise((r) => { release = r; });
    await previous;
    try {
      this.#interrupt = false;
      const s = this.script;
      const base = { id: 'chatcmpl-fake', created: 0, model, object: 'chat.completion.chunk' as const };
      let reason: ChatCompletionFinishReason = s.finishReason ?? 'stop';
      let emitted = 0;
      let text = '';
      for (const content of s.chunks ?? ['Hello', ', ', 'world', '!']) {
        // As web-llm's loop: the interrupt is read before each decode step.
        if (this.#interrupt || this.loadedModel === undefined) { reason = 'abort'; break; }
        if (request.max_tokens != null && emitted >= request.max_tokens) { reason = 'length'; break; }
        await sleep(s.stepMs ?? 1);
        if (s.errorAfter && emitted === s.errorAfter.chunks) throw s.errorAfter.error();
        emitted++;
        text += content;
        yield { ...base, choices: [{ delta: { content, role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }] };
      }
      const calling = request.tools !== undefined && request.tools !== null;
      // As web-llm: calls only after a stop; a length or abort finish leaves the raw text alone.
      const toolCalls = calling && reason === 'stop' ? streamedToolCalls(text) : undefined;
      if (toolCalls) reason = 'tool_calls';
      yield { ...base, choices: [{ delta: calling ? { role: 'assistant', ...(toolCalls ? { tool_calls: toolCalls } : {}) } : {}, finish_reason: reason, index: 0 }] };
      if (request.stream_options?.include_usage === true) {
        const prompt = s.promptTokens ?? 7;
        const extra = { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 };
        yield { ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: emitted, total_tokens: prompt + emitted, extra } };
      }
    } finally {
      release();
    }
  }

  interruptGenerate(): void {
    this.calls.push({ method: 'interruptGenerate' });
    this.#interrupt = true;
  }

  async unload(): Promise<void> {
    this.calls.push({ method: 'unload', duringReload: this.#reloading });
    await this.#unloadQuietly();
  }

  async #unloadQuietly(): Promise<void> {
    this.loadedModel = undefined;
    if (this.#reloading) this.#reloadAborted = true;
  }

  completion(): Promise<never> { return Promise.reject(new Error('FakeMLCEngine: completion is not scripted')); }
  async embedding(request: EmbeddingCreateParams): Promise<CreateEmbeddingResponse> {
    this.calls.push({ method: 'embedding', request });
    const call = this.#embeddingCalls++;
    const model = this.loadedModel;
    if (model === undefined) throw new Error('FakeMLCEngine: embedding before reload');
    // As web-llm's getEmbeddingStates(): the loaded record must say it is an embedding model.
    const record = this.config.appConfig?.model_list.find((m) => m.model_id === model);
    if (record?.model_type !== webllm.ModelType.embedding) throw embeddingUnsupportedModelError(model);
    webllm.postInitAndCheckFieldsEmbedding(request, model);
    const s = this.script;
    await sleep(s.embedStepMs ?? 1);
    if (s.embedError && s.embedError.call === call) throw s.embedError.error();
    const { input } = request;
    if (typeof input !== 'string' && input.some((t) => typeof t !== 'string')) throw new Error('FakeMLCEngine: only text input is scripted');
    const texts = typeof input === 'string' ? [input] : (input as string[]);
    const data = texts.map((t, index) => ({ embedding: fakeEmbedding(t, s.embedDims ?? 8), index, object: 'embedding' as const }));
    const tokens = texts.reduce((n, t) => n + fakeTokenCount(t), 0);
    return {
      data: s.embeddingsReversed ? data.reverse() : data, model, object: 'list',
      usage: { prompt_tokens: tokens, total_tokens: tokens, extra: { prefill_tokens_per_s: 0 } },
    };
  }
  listResumableSessions(): Promise<never> { return Promise.reject(new Error('FakeMLCEngine: resumable sessions are not scripted')); }
  resumeChatCompletion(): Promise<never> { return Promise.reject(new Error('FakeMLCEngine: resumable sessions are not scripted')); }
  deleteResumableSession(): Promise<never> { return Promise.reject(new Error('FakeMLCEngine: resumable sessions are not scripted')); }
  runtimeStatsText = (): Promise<string> => Promise.resolve('fake');
  resetChat = (): Promise<void> => Promise.resolve();
  getMessage = (): Promise<string> => Promise.resolve('');
  getMaxStorageBufferBindingSize(): Promise<number> { return Promise.resolve(1 << 30); }
  getGPUVendor(): Promise<string> { return Promise.resolve('fake'); }
  forwardTokensAndSample(): Promise<never> { return Promise.reject(new Error('FakeMLCEngine: forwardTokensAndSample is not scripted')); }
  setLogLevel(): void { /* the fake logs nothing */ }
}

export interface FakeMLCModule extends WebLLMModule {
  readonly calls: FakeMLCCall[];
  /** The chat requests the engines received, as they arrived. */
  requests(): ChatCompletionRequestBase[];
  /** The chat requests as web-llm's validation left them (its function-calling prompt and format added). */
  effective(): ChatCompletionRequestBase[];
  readonly engines: FakeMLCEngine[];
  script: FakeMLCScript;
}

/** A stand-in for `@mlc-ai/web-llm` whose engines are fakes; `prebuiltAppConfig` is web-llm's real list. */
export function createFakeMLCModule(script: FakeMLCScript = {}): FakeMLCModule {
  const calls: FakeMLCCall[] = [];
  const engines: FakeMLCEngine[] = [];
  const mod: FakeMLCModule = {
    calls, engines, script,
    requests: () => calls.flatMap((c) => (c.method === 'chatCompletion' ? [c.request] : [])),
    effective: () => calls.flatMap((c) => (c.method === 'chatCompletion' ? [c.effective] : [])),
    prebuiltAppConfig: webllm.prebuiltAppConfig,
    MLCEngine: class extends FakeMLCEngine {
      constructor(config: MLCEngineConfig) {
        super(config, () => mod.script, calls);
        engines.push(this);
      }
    },
    async hasModelInCache(modelId, appConfig) {
      calls.push({ method: 'hasModelInCache', modelId, appConfig });
      if (mod.script.cacheError) throw mod.script.cacheError();
      return mod.script.cached ?? false;
    },
    async deleteModelAllInfoInCache(modelId, appConfig) {
      calls.push({ method: 'deleteModelAllInfoInCache', modelId, appConfig });
      if (mod.script.cacheError) throw mod.script.cacheError();
      mod.script.cached = false;
    },
  };
  return mod;
}
