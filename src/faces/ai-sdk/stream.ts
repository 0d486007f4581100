/**
 * Engine parts as V4 stream parts. The engine streams text and hands over each tool call
 * whole and validated; V4 also wants the input streamed, so every call becomes
 * `tool-input-start`, one `tool-input-delta` with the whole JSON, `tool-input-end`, then
 * the `tool-call`. Text runs between calls get their own ids.
 */
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { Part } from '../../index.js';
import { finishReasonOf, generationMetadata, usageOf } from './metadata.js';

export interface StreamContext {
  /** The `response-metadata` part's id, timestamp and model (the model that answered, known at the finish). */
  responseId: string;
  timestamp: Date;
  modelIdFor(ranOn: string): string;
}

/**
 * @param first the first non-warning part, already read (doStream reads it so that a
 * failure before the first token rejects the call itself, which the AI SDK retries).
 */
export async function* streamParts(first: IteratorResult<Part>, rest: AsyncIterator<Part>, ctx: StreamContext): AsyncGenerator<LanguageModelV4StreamPart> {
  let textId: string | undefined;
  let runs = 0;
  let step = first;
  try {
    while (step.done !== true) {
      const p = step.value;
      if (p.type === 'text') {
        if (textId === undefined) {
          textId = `txt-${runs++}`;
          yield { type: 'text-start', id: textId };
        }
        if (p.text !== '') yield { type: 'text-delta', id: textId, delta: p.text };
      } else if (p.type === 'tool-call' || p.type === 'finish') {
        if (textId !== undefined) yield { type: 'text-end', id: textId };
        textId = undefined;
        if (p.type === 'tool-call') {
          const input = JSON.stringify(p.arguments);
          yield { type: 'tool-input-start', id: p.id, toolName: p.name };
          yield { type: 'tool-input-delta', id: p.id, delta: input };
          yield { type: 'tool-input-end', id: p.id };
          yield { type: 'tool-call', toolCallId: p.id, toolName: p.name, input };
        } else {
          yield { type: 'response-metadata', id: ctx.responseId, timestamp: ctx.timestamp, modelId: ctx.modelIdFor(p.ranOn) };
          yield { type: 'finish', usage: usageOf(p), finishReason: finishReasonOf(p.reason), providerMetadata: generationMetadata(p) };
        }
      }
      // A `warning` after the first token cannot join `stream-start`; the engine sends them all before it.
      step = await rest.next();
    }
  } finally {
    // The AI SDK cancels the stream on abort or when the app stops reading: end the engine request too.
    if (step.done !== true) await rest.return?.();
  }
}
