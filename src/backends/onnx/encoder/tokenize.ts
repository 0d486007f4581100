/**
 * Text → ids for an encoder: `@huggingface/tokenizers` with the post-processor's special
 * tokens (`[CLS] text [SEP]`, `<s> text </s>`), cut at the model's length so that the
 * closing special tokens survive: BERT-style models were trained with `[SEP]` last, and
 * sentence-transformers truncates the same way.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { EdgewiseError } from '../../../errors.js';

type Json = Record<string, unknown>;

/** One text's ids, special tokens included, and whether the text was cut to fit. */
export interface Encoded {
  ids: number[];
  truncated: boolean;
}

/**
 * Keeps the first `maxLength - suffix` ids and the last `suffix` ids (the template's closing
 * special tokens), so a cut text still ends the way the model was trained.
 */
export function truncateKeepingSuffix(ids: readonly number[], maxLength: number, suffix: number): number[] {
  if (ids.length <= maxLength) return ids.slice();
  const keep = Math.min(suffix, maxLength);
  return [...ids.slice(0, maxLength - keep), ...ids.slice(ids.length - keep)];
}

/** Where `part` starts inside `whole`, or -1. */
function indexOfRun(whole: readonly number[], part: readonly number[]): number {
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let j = 0; j < part.length; j++) if (whole[i + j] !== part[j]) continue outer;
    return i;
  }
  return -1;
}

function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as Json)['content'] === 'string') return (v as Json)['content'] as string;
  return undefined;
}

/**
 * Characters per token above which a long text is first tokenized from a prefix. Ordinary
 * prose runs at 4–6; a prefix that yields too few tokens falls back to the whole text, so
 * this only trades speed, never the result.
 */
const PREFIX_CHARS_PER_TOKEN = 12;

export class EncoderTokenizer {
  private readonly tok: Tokenizer;
  /** Special tokens the template puts after the text (1 for `[SEP]`). */
  readonly suffix: number;
  /** Special tokens the template adds in all (2 for `[CLS] … [SEP]`). */
  readonly specials: number;
  readonly padId: number;
  /** The template's special ids before and after a text (`[CLS]` and `[SEP]` for BERT), for callers that window ids themselves. */
  readonly prefixIds: readonly number[];
  readonly suffixIds: readonly number[];

  constructor(tokenizerJson: Json, tokenizerConfig: Json, configPadId: number | undefined) {
    try {
      this.tok = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (cause) {
      throw new EdgewiseError('unsupported_model', 'tokenizer.json could not be read by @huggingface/tokenizers; check the file is a Hugging Face tokenizer.', { cause });
    }
    this.specials = this.tok.encode('').ids.length;
    // Learn the template's shape once from a probe: the text's own ids sit between the prefix and suffix specials.
    const probe = 'hello world';
    const bare = this.tok.encode(probe, { add_special_tokens: false }).ids;
    const full = this.tok.encode(probe).ids;
    const at = bare.length > 0 ? indexOfRun(full, bare) : -1;
    this.suffix = at >= 0 ? full.length - at - bare.length : Math.min(1, this.specials);
    const empty = this.tok.encode('').ids;
    this.prefixIds = empty.slice(0, empty.length - this.suffix);
    this.suffixIds = empty.slice(empty.length - this.suffix);
    const padToken = tokenString(tokenizerConfig['pad_token']);
    // Padding is masked out, so any in-vocabulary id works; the named pad token is the honest one.
    this.padId = (padToken === undefined ? undefined : this.tok.token_to_id(padToken)) ?? configPadId ?? 0;
  }

  /** The text's own ids and token strings, without special tokens and not cut: the token classifier windows them itself. */
  pieces(text: string): { ids: number[]; tokens: string[] } {
    const { ids, tokens } = this.tok.encode(text, { add_special_tokens: false });
    return { ids, tokens };
  }

  /** `text` with the template's special tokens, at most `maxLength` ids. */
  encode(text: string, maxLength: number): Encoded {
    const ids = this.encodePrefix(text, maxLength) ?? this.tok.encode(text).ids;
    if (ids.length <= maxLength) return { ids, truncated: false };
    return { ids: truncateKeepingSuffix(ids, maxLength, this.suffix), truncated: true };
  }

  /**
   * A very long text (a whole document) is tokenized from a prefix cut at a space, which
   * pre-tokenizers split on, so the prefix's ids equal the start of the full text's ids.
   * Undefined when the prefix would not fill `maxLength` (then the whole text is read).
   */
  private encodePrefix(text: string, maxLength: number): number[] | undefined {
    const budget = maxLength * PREFIX_CHARS_PER_TOKEN;
    if (text.length <= budget * 2) return undefined;
    const space = text.lastIndexOf(' ', budget);
    if (space < budget / 2) return undefined;
    const ids = this.tok.encode(text.slice(0, space)).ids;
    // One spare token, so the kept ids never reach the cut.
    return ids.length > maxLength + 1 ? ids : undefined;
  }
}
