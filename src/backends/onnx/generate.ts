/**
 * The decode loop: prefill the prompt, then one token per step until EOS, a stop
 * string, maxTokens, the context limit, or an abort. Yields text parts as they form
 * and always ends with exactly one `finish` part.
 */
import { EdgewiseError } from '../../errors.js';
import type { FinishReason, RanOn, WeightForm } from '../../types.js';
import type { BackendPart, BackendRequest } from '../backend.js';
import type { DecoderConfig } from './config.js';
import type { StepDecoder } from './decoder.js';
import type { TokenizerGrammars } from './grammar/compile.js';
import type { GrammarConstraint } from './grammar/constraint.js';
import { prefill, prefillChunkFor } from './prefill.js';
import { Sampler } from './sampling.js';
import { answerParts, constrainedOf, cutText, type OutputMode } from './structured.js';
import { IncrementalDecoder, StopMatcher } from './text-stream.js';
import type { ModelTokenizer } from './tokenizer.js';
import { now } from '../../clock.js';

export interface GenerateContext {
  decoder: StepDecoder;
  tokenizer: ModelTokenizer;
  config: DecoderConfig;
  ranOn: RanOn;
  /** The form the weights run in, reported on the finish part. */
  weights?: WeightForm;
  /** True when the decoder kernel runs the weights (its prompt runs are exact in any size). */
  kernel?: boolean;
  signal: AbortSignal | undefined;
  /** Lets queued messages (an abort) run between steps; see `worker/yield.ts`. */
  yieldToEventLoop: () => Promise<void>;
  /** The grammars of this model's tokenizer (created on the first constrained request). */
  grammars: () => Promise<TokenizerGrammars>;
  /** Prompt tokens per prefill run; default by device (`prefill.ts`). Tests set it to cut short prompts. */
  prefillChunk?: number;
}

export function encodeRequest(req: Pick<BackendRequest, 'prompt' | 'messages' | 'tools'>, tokenizer: ModelTokenizer): number[] {
  if (req.messages !== undefined) return tokenizer.encodeChat(req.messages, req.tools);
  // A raw prompt has no template: the tools are described before it.
  const tools = req.tools?.length ? tokenizer.encodeChat([{ role: 'user', content: req.prompt ?? '' }], req.tools) : undefined;
  return tools ?? tokenizer.encodePrompt(req.prompt ?? '');
}

export async function* runGeneration(req: BackendRequest, ctx: GenerateContext): AsyncGenerator<BackendPart, void, undefined> {
  const { tokenizer, config } = ctx;
  const promptIds = encodeRequest(req, tokenizer);
  if (promptIds.length >= config.contextLength) {
    throw new EdgewiseError('context_overflow', `The prompt is ${promptIds.length} tokens but the model's context holds ${config.contextLength} (with room for at least one new token); shorten the prompt or the conversation.`, { details: { promptTokens: promptIds.length, contextLength: config.contextLength } });
  }
  const constrained = constrainedOf(req);
  // Compiled once per format and tokenizer (cached); a bad format fails here, before any token.
  const constraint = constrained && await (await ctx.grammars()).constraint(constrained.format, { eosIds: [...config.eosIds] });
  try {
    yield* decode(req, ctx, promptIds, constraint, constrained?.mode ?? 'text');
  } finally {
    constraint?.dispose();
  }
}

async function* decode(req: BackendRequest, ctx: GenerateContext, promptIds: number[], constraint: GrammarConstraint | undefined, mode: OutputMode): AsyncGenerator<BackendPart, void, undefined> {
  const { decoder, tokenizer, config, signal } = ctx;
  const sampler = new Sampler(req);
  const text = new IncrementalDecoder((ids) => tokenizer.decode(ids), promptIds);
  const stops = new StopMatcher(mode === 'text' ? req.stop : []);
  const seen = new Set(promptIds);
  const generated: number[] = [];
  // The model may stop at the context limit before maxTokens: that is a 'length' finish.
  const budget = Math.min(req.maxTokens, config.contextLength - promptIds.length);
  let firstTokenAt = 0;
  let reason: FinishReason = 'length';

  decoder.reset();
  let input: readonly number[] | undefined;
  while (generated.length < budget) {
    let logits: Float32Array | undefined;
    if (input === undefined) {
      // The prompt, in chunks where that leaves the numbers unchanged; an abort between chunks ends it like one between steps.
      logits = await prefill(decoder, promptIds, { chunk: ctx.prefillChunk ?? prefillChunkFor(ctx.ranOn, ctx.weights, ctx.kernel), signal, yieldToEventLoop: ctx.yieldToEventLoop });
    } else {
      await ctx.yieldToEventLoop();
      if (!signal?.aborted) logits = await decoder.step(input);
    }
    if (!logits) { reason = 'abort'; break; }
    if (constraint) await constraint.mask(logits);
    const id = sampler.next(logits, seen);
    constraint?.accept(id);
    if (firstTokenAt === 0) firstTokenAt = now();
    if (config.eosIds.has(id) || constraint?.done) { reason = 'stop'; break; }
    seen.add(id);
    generated.push(id);
    // A call or an envelope is read whole at the end; constrained text streams.
    const { emit: safe, stopped } = mode === 'text' ? stops.push(text.push(id)) : { emit: '', stopped: false };
    if (safe) yield { type: 'text', text: safe };
    if (stopped) { reason = 'stop'; break; }
    input = [id];
  }
  const tail = reason === 'stop' ? '' : stops.flush();
  if (tail) yield { type: 'text', text: tail };
  if (mode !== 'text' && reason === 'stop') {
    const answer = answerParts(tokenizer.decode(generated), mode);
    yield* answer.parts;
    if (answer.toolCalls) reason = 'tool-calls';
  } else if (mode !== 'text' && reason === 'length') {
    const cut = mode === 'envelope' ? cutText(tokenizer.decode(generated)) : undefined;
    if (cut === undefined) throw new EdgewiseError('invalid_output', `The tool call was cut at maxTokens (${req.maxTokens}) before it was complete; raise maxTokens.`, { details: { reason: 'length' } });
    if (cut) yield { type: 'text', text: cut };
  }
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
