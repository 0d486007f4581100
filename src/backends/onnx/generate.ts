/**
 * The decode loop: prefill the prompt, then one token per step until EOS, a stop
 * string, maxTokens, the context limit, or an abort. Yields text parts as they form
 * and always ends with exactly one `finish` part.
 */
import { EdgewiseError } from '../../errors.js';
import type { FinishReason, RanOn, WeightForm } from '../../types.js';
import type { BackendPart, BackendRequest } from '../backend.js';
import type { DecoderConfig } from './config.js';
import type { Decoder } from './decoder.js';
import { Sampler } from './sampling.js';
import { IncrementalDecoder, StopMatcher } from './text-stream.js';
import type { ModelTokenizer } from './tokenizer.js';
import { now } from '../../clock.js';

export interface GenerateContext {
  decoder: Decoder;
  tokenizer: ModelTokenizer;
  config: DecoderConfig;
  ranOn: RanOn;
  /** The form the weights run in, reported on the finish part. */
  weights?: WeightForm;
  signal: AbortSignal | undefined;
  /** Lets queued messages (an abort) run between steps; see `worker/yield.ts`. */
  yieldToEventLoop: () => Promise<void>;
}


export function encodeRequest(req: Pick<BackendRequest, 'prompt' | 'messages'>, tokenizer: ModelTokenizer): number[] {
  return req.messages !== undefined ? tokenizer.encodeChat(req.messages) : tokenizer.encodePrompt(req.prompt ?? '');
}

export async function* runGeneration(req: BackendRequest, ctx: GenerateContext): AsyncGenerator<BackendPart, void, undefined> {
  const { decoder, tokenizer, config, signal } = ctx;
  const promptIds = encodeRequest(req, tokenizer);
  if (promptIds.length >= config.contextLength) {
    throw new EdgewiseError('context_overflow', `The prompt is ${promptIds.length} tokens but the model's context holds ${config.contextLength} (with room for at least one new token); shorten the prompt or the conversation.`, { details: { promptTokens: promptIds.length, contextLength: config.contextLength } });
  }
  const sampler = new Sampler(req);
  const text = new IncrementalDecoder((ids) => tokenizer.decode(ids), promptIds);
  const stops = new StopMatcher(req.stop);
  const seen = new Set(promptIds);
  const generated: number[] = [];
  // The model may stop at the context limit before maxTokens: that is a 'length' finish.
  const budget = Math.min(req.maxTokens, config.contextLength - promptIds.length);
  let firstTokenAt = 0;
  let reason: FinishReason = 'length';

  decoder.reset();
  let input: readonly number[] = promptIds;
  while (generated.length < budget) {
    await ctx.yieldToEventLoop();
    if (signal?.aborted) { reason = 'abort'; break; }
    const logits = await decoder.step(input);
    const id = sampler.next(logits, seen);
    if (firstTokenAt === 0) firstTokenAt = now();
    if (config.eosIds.has(id)) { reason = 'stop'; break; }
    seen.add(id);
    generated.push(id);
    const { emit: safe, stopped } = stops.push(text.push(id));
    if (safe) yield { type: 'text', text: safe };
    if (stopped) { reason = 'stop'; break; }
    input = [id];
  }
  const tail = reason === 'stop' ? '' : stops.flush();
  if (tail) yield { type: 'text', text: tail };
  const end = now();
  const completion = generated.length;
  const decodeMs = firstTokenAt ? end - firstTokenAt : 0;
  yield {
    type: 'finish',
    reason,
    ranOn: ctx.ranOn,
    ...(ctx.weights ? { metadata: { onnx: { weights: ctx.weights } } } : {}),
    ...(req.includeTokenIds ? { tokenIds: generated } : {}),
    usage: {
      promptTokens: promptIds.length,
      completionTokens: completion,
      timeToFirstTokenMs: firstTokenAt ? firstTokenAt - req.startedAt : 0,
      // Tokens after the first, over the time after the first: prefill is not decode speed.
      tokensPerSecond: completion > 1 && decodeMs > 0 ? ((completion - 1) * 1000) / decodeMs : 0,
      totalMs: end - req.startedAt,
    },
  };
}
