/**
 * One request's grammar state, for the decode loop. Each step: `await mask(logits)`
 * before sampling, `accept(id)` after; stop with reason 'stop' once `done` (the grammar
 * accepted a stop token). `dispose()` when the request ends, however it ends: the
 * matcher lives in XGrammar's WASM heap, which no garbage collector sees.
 *
 * The mask is XGrammar's, narrowed to tokens that keep the output valid UTF-8 (utf8.ts).
 */
import { EdgewiseError } from '../../../errors.js';
import type { CompiledFormat } from './format.js';
import { applyTokenBitmask } from './mask.js';
import { utf8Next } from './utf8.js';
import type { XCompiledGrammar, XGrammarMatcher } from './xgrammar.js';

/** XGrammar's classes wrap an Embind handle, which knows whether it was deleted. */
function isDeleted(grammar: XCompiledGrammar): boolean {
  const handle = (grammar as { handle?: { isDeleted?: () => boolean } }).handle;
  return handle?.isDeleted?.() === true;
}

/** Per-request options of a {@link GrammarConstraint}. */
export interface GrammarConstraintOptions {
  /** Stop tokens instead of the vocabulary's (e.g. a chat model's end-of-turn token). */
  eosIds?: readonly number[];
}

/**
 * @example
 * const constraint = await grammars.constraint({ type: 'json_schema', schema });
 * try {
 *   while (!constraint.done && out.length < maxTokens) {
 *     const logits = await step(lastId);
 *     await constraint.mask(logits);
 *     lastId = sampler.next(logits, seen);
 *     constraint.accept(lastId);
 *     if (!constraint.done) out.push(lastId);
 *   }
 * } finally { constraint.dispose(); }
 */
export class GrammarConstraint {
  private matcher: XGrammarMatcher | undefined;
  private accepted = 0;
  /** UTF-8 decoder state of the bytes accepted so far (utf8.ts). */
  private utf8 = 0;
  /** Time spent in {@link mask}, in milliseconds, over the whole request. */
  maskMs = 0;

  private constructor(matcher: XGrammarMatcher, readonly format: CompiledFormat) {
    this.matcher = matcher;
  }

  /** Prefer {@link TokenizerGrammars.constraint}, which keeps the grammar from being evicted meanwhile. */
  static async create(compiled: CompiledFormat, options: GrammarConstraintOptions = {}): Promise<GrammarConstraint> {
    if (isDeleted(compiled.grammar)) throw new EdgewiseError('disposed', 'This compiled grammar was evicted or disposed; compile the format again (TokenizerGrammars.constraint does both).');
    const stop = options.eosIds === undefined ? undefined : [...options.eosIds];
    const matcher = await compiled.xgrammar.GrammarMatcher.createGrammarMatcher(compiled.grammar, stop, false);
    return new GrammarConstraint(matcher, compiled);
  }

  private live(): XGrammarMatcher {
    if (this.matcher === undefined) throw new EdgewiseError('disposed', 'This grammar constraint was disposed; make a new one per request.');
    return this.matcher;
  }

  /**
   * Sets the logits of every token the grammar forbids now to -Infinity, in place;
   * rows past the tokenizer's vocabulary too. Async because XGrammar's API is.
   */
  async mask(logits: Float32Array): Promise<void> {
    const matcher = this.live();
    const t0 = performance.now();
    const bitmask = await matcher.getNextTokenBitmask();
    // getNextTokenBitmask returns a fresh copy, so it can be narrowed in place.
    const valid = this.format.utf8.masks[this.utf8]!;
    for (let w = 0; w < bitmask.length; w++) bitmask[w]! &= valid[w] ?? -1;
    const allowed = applyTokenBitmask(logits, bitmask);
    this.maskMs += performance.now() - t0;
    if (allowed === 0) {
      // Only when the grammar wants a token beyond the logits (a vocabulary larger than the model's head).
      throw new EdgewiseError('runtime_error', `The grammar allows no token among the model's ${logits.length} logits after ${this.accepted} tokens; the tokenizer and the model disagree on the vocabulary.`, { details: { feature: 'grammar', steps: this.accepted } });
    }
  }

  /** Advances the grammar by the sampled token; throws when the grammar forbids it (the mask was skipped). */
  accept(id: number): void {
    const matcher = this.live();
    if (!matcher.acceptToken(id)) {
      throw new EdgewiseError('runtime_error', `Token ${id} breaks the grammar after ${this.accepted} tokens; apply mask() to the logits before sampling.`, { details: { feature: 'grammar', tokenId: id, steps: this.accepted } });
    }
    this.accepted++;
    this.utf8 = utf8Next(this.format.utf8, this.utf8, id);
  }

  /** The grammar is complete and took a stop token: end with reason 'stop'. */
  get done(): boolean {
    return this.matcher?.isTerminated() ?? false;
  }

  /** Tokens accepted so far (the stop token included). */
  get steps(): number {
    return this.accepted;
  }

  /** Frees the matcher; safe to call twice. The compiled grammar stays with its cache. */
  dispose(): void {
    this.matcher?.dispose();
    this.matcher = undefined;
  }
}
