/**
 * One engine as a V4 language model. Each call is one `engine.generate()`: the engine's
 * policy routes it and fails over before the first token, so a model id names the engine,
 * not a place; `providerMetadata.edgewise` says where each call ran.
 */
import type {
  LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4StreamPart,
  LanguageModelV4StreamResult, SharedV4Warning,
} from '@ai-sdk/provider';
import type { Engine, FinishPart, Part } from '../../index.js';
import { toRequest } from './call-options.js';
import { sdkError } from './engine-errors.js';
import { finishReasonOf, generationMetadata, usageOf, warningOf } from './metadata.js';
import { streamParts, type StreamContext } from './stream.js';

export interface ModelContext {
  engine: Engine;
  modelId: string;
  /** The remote model name, when known: `response.modelId` of calls that ran remote. */
  remoteModel: string | undefined;
}

let responses = 0;
/** Unique within the page; `crypto.randomUUID` is missing on insecure origins. */
const responseId = (): string => `edgewise-${Date.now().toString(36)}-${++responses}`;

export class EdgewiseLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'edgewise';
  readonly modelId: string;
  /** No URL is read natively: the AI SDK downloads URL parts, and file parts are refused (prompt.ts). */
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly #ctx: ModelContext;

  constructor(ctx: ModelContext) {
    this.#ctx = ctx;
    this.modelId = ctx.modelId;
  }

  #context(): StreamContext {
    const { engine, modelId, remoteModel } = this.#ctx;
    return {
      responseId: responseId(),
      timestamp: new Date(),
      modelIdFor: (ranOn) => (ranOn === 'remote' ? remoteModel ?? modelId : engine.model?.id ?? modelId),
    };
  }

  #start(options: LanguageModelV4CallOptions): { parts: AsyncIterator<Part>; warnings: SharedV4Warning[] } {
    const { request, warnings } = toRequest(options);
    // generate() throws at once for an invalid request; that is the call's failure too.
    return { parts: this.#ctx.engine.generate(request)[Symbol.asyncIterator](), warnings };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const ctx = this.#context();
    const content: LanguageModelV4Content[] = [];
    let finish: FinishPart | undefined;
    let warnings: SharedV4Warning[] = [];
    try {
      const started = this.#start(options);
      warnings = started.warnings;
      for (let step = await started.parts.next(); step.done !== true; step = await started.parts.next()) {
        const p = step.value;
        const last = content.at(-1);
        if (p.type === 'text') {
          if (last?.type === 'text') last.text += p.text;
          else content.push({ type: 'text', text: p.text });
        } else if (p.type === 'tool-call') content.push({ type: 'tool-call', toolCallId: p.id, toolName: p.name, input: JSON.stringify(p.arguments) });
        else if (p.type === 'warning') warnings.push(warningOf(p.warning));
        else finish = p;
      }
    } catch (e) {
      throw await sdkError(this.#ctx.engine, e);
    }
    if (finish === undefined) throw new Error('edgewise: the engine stream ended without a finish part');
    // As a fetch-based provider would: an aborted call rejects with the signal's reason rather than returning part of an answer.
    if (finish.reason === 'abort' && options.abortSignal?.aborted === true) throw options.abortSignal.reason;
    return {
      content,
      finishReason: finishReasonOf(finish.reason),
      usage: usageOf(finish),
      providerMetadata: generationMetadata(finish),
      response: { id: ctx.responseId, timestamp: ctx.timestamp, modelId: ctx.modelIdFor(finish.ranOn) },
      warnings,
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const ctx = this.#context();
    const engine = this.#ctx.engine;
    let parts: AsyncIterator<Part>;
    let warnings: SharedV4Warning[];
    let first: IteratorResult<Part>;
    // Read up to the first non-warning part before answering: the engine's warnings then join
    // `stream-start`, and a failure before the first token (after the engine's own failover)
    // rejects doStream, which the AI SDK retries when the error says it is retryable.
    try {
      ({ parts, warnings } = this.#start(options));
      for (first = await parts.next(); first.done !== true && first.value.type === 'warning'; first = await parts.next()) warnings.push(warningOf(first.value.warning));
    } catch (e) {
      throw await sdkError(engine, e);
    }
    const source = streamParts(first, parts, ctx);
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings });
      },
      async pull(controller) {
        try {
          const step = await source.next();
          if (step.done === true) controller.close();
          else controller.enqueue(step.value);
        } catch (e) {
          // After the first token the engine never switches backends: the failure ends the stream as an `error` part.
          controller.enqueue({ type: 'error', error: await sdkError(engine, e) });
          controller.close();
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    });
    return { stream };
  }
}
