/**
 * XGrammar's view of a tokenizer: every token's text as the tokenizer stores it
 * ("encoded"), indexed by id, plus how to turn that into bytes (the vocab type). Read
 * from a Hugging Face tokenizer.json the same way XGrammar's own
 * `TokenizerInfo.from_huggingface` does, so the grammar sees exactly the bytes each
 * token decodes to.
 */
import { EdgewiseError } from '../../../errors.js';

type Json = Record<string, unknown>;

/**
 * `byte_fallback`: SentencePiece-style, `▁` is a space and `<0xNN>` a raw byte (Llama 2,
 * stories260K); `byte_level`: GPT-2 style, each byte is a printable stand-in (SmolLM2,
 * Qwen); `raw`: tokens are their own text.
 */
export type VocabType = 'raw' | 'byte_fallback' | 'byte_level';

export interface GrammarVocab {
  /** Index = token id; `''` for holes and special tokens, which the grammar never allows. */
  readonly encodedVocab: readonly string[];
  readonly vocabType: VocabType;
  /** The tokenizer adds a space before the text (SentencePiece's `▁` prefix). */
  readonly prependSpace: boolean;
  /** Rows of the model's logits: at least `encodedVocab.length`; padded rows are never allowed. */
  readonly vocabSize: number;
  /** Tokens that end generation: the only ones allowed once the grammar is complete. */
  readonly stopTokenIds: readonly number[];
  /** Fingerprint of everything above, for caches keyed by tokenizer. */
  readonly key: string;
}

export interface GrammarVocabOptions {
  /** The model's EOS ids (generation_config.json / config.json `eos_token_id`). */
  eosIds: readonly number[];
  /** The model's logits size (config.json `vocab_size`) when larger than the tokenizer's. */
  vocabSize?: number;
}

/**
 * @example
 * const vocab = grammarVocab(tokenizerJson, tokenizerConfig, { eosIds: [2], vocabSize: 49152 });
 * vocab.vocabType; // 'byte_level'
 */
export function grammarVocab(tokenizerJson: Json, tokenizerConfig: Json, options: GrammarVocabOptions): GrammarVocab {
  const model = (tokenizerJson['model'] ?? {}) as Json;
  const vocabType = detectVocabType(tokenizerJson);
  const encodedVocab = modelVocab(model);
  const added = addedTokens(tokenizerJson, tokenizerConfig);
  for (const [id, t] of added) encodedVocab[id] = t.special ? '' : encodeAdded(t.content, vocabType);
  for (let i = 0; i < encodedVocab.length; i++) encodedVocab[i] ??= '';
  const vocabSize = Math.max(options.vocabSize ?? 0, encodedVocab.length);
  const stopTokenIds = [...new Set(options.eosIds)];
  if (stopTokenIds.length === 0 || stopTokenIds.some((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize)) {
    throw new EdgewiseError('unsupported_model', `Structured output needs the model's EOS token ids within its vocabulary (0..${vocabSize - 1}); got [${options.eosIds.join(', ')}]. Check eos_token_id in config.json or generation_config.json.`);
  }
  const prependSpace = detectPrependSpace(tokenizerJson);
  const key = `${vocabType}:${prependSpace ? 1 : 0}:${vocabSize}:${stopTokenIds.join(',')}:${fingerprint(encodedVocab)}`;
  return { encodedVocab, vocabType, prependSpace, vocabSize, stopTokenIds, key };
}

function modelVocab(model: Json): string[] {
  const out: string[] = [];
  const vocab = model['vocab'];
  if (Array.isArray(vocab)) {
    // Unigram: [piece, score] pairs in id order.
    vocab.forEach((entry: unknown, id) => {
      if (Array.isArray(entry) && typeof entry[0] === 'string') out[id] = entry[0];
    });
  } else if (typeof vocab === 'object' && vocab !== null) {
    for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) out[id] = token;
    }
  } else {
    throw new EdgewiseError('unsupported_model', 'tokenizer.json has no model.vocab, so structured output cannot map tokens to text; use a Hugging Face tokenizer.json.');
  }
  return out;
}

interface Added { content: string; special: boolean }

/** tokenizer.json's `added_tokens`, completed by tokenizer_config.json's `added_tokens_decoder`. */
function addedTokens(tokenizerJson: Json, config: Json): Map<number, Added> {
  const out = new Map<number, Added>();
  const take = (id: unknown, t: unknown): void => {
    const n = typeof id === 'string' ? Number(id) : id;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || out.has(n)) return;
    if (typeof t !== 'object' || t === null || typeof (t as Json)['content'] !== 'string') return;
    out.set(n, { content: (t as Json)['content'] as string, special: (t as Json)['special'] === true });
  };
  const list = tokenizerJson['added_tokens'];
  if (Array.isArray(list)) for (const t of list as Json[]) take(t['id'], t);
  const decoder = config['added_tokens_decoder'];
  if (typeof decoder === 'object' && decoder !== null) for (const [id, t] of Object.entries(decoder)) take(id, t);
  return out;
}

/** Types of a component and, for a `Sequence`, of its members. */
function types(component: unknown): Json[] {
  if (typeof component !== 'object' || component === null) return [];
  const c = component as Json;
  const members = c['decoders'] ?? c['normalizers'] ?? c['pretokenizers'];
  return c['type'] === 'Sequence' && Array.isArray(members) ? members.flatMap(types) : [c];
}

function detectVocabType(tokenizerJson: Json): VocabType {
  const decoders = types(tokenizerJson['decoder']);
  const has = (list: Json[], type: string): boolean => list.some((d) => d['type'] === type);
  const model = (tokenizerJson['model'] ?? {}) as Json;
  if (model['byte_fallback'] === true || has(decoders, 'ByteFallback')) return 'byte_fallback';
  if (has(decoders, 'ByteLevel') || has(types(tokenizerJson['pre_tokenizer']), 'ByteLevel')) return 'byte_level';
  // SentencePiece without byte fallback: `▁` still means a space, and with no `<0xNN>`
  // pieces in the vocabulary XGrammar's byte-fallback decoding is exactly that.
  const metaspace = has(decoders, 'Metaspace') || decoders.some((d) => d['type'] === 'Replace' && (d['pattern'] as Json | undefined)?.['String'] === '▁');
  return metaspace ? 'byte_fallback' : 'raw';
}

function detectPrependSpace(tokenizerJson: Json): boolean {
  if (types(tokenizerJson['normalizer']).some((n) => n['type'] === 'Prepend' && n['prepend'] === '▁')) return true;
  return types(tokenizerJson['pre_tokenizer']).some(
    (p) => p['type'] === 'Metaspace' && (p['prepend_scheme'] === 'always' || p['prepend_scheme'] === 'first' || (p['prepend_scheme'] === undefined && p['add_prefix_space'] === true)),
  );
}

/** An added token's text is plain; the grammar reads it through the vocab type's encoding. */
function encodeAdded(content: string, vocabType: VocabType): string {
  if (vocabType === 'byte_fallback') return content.replaceAll(' ', '▁');
  if (vocabType === 'raw') return content;
  const table = byteLevelTable();
  return Array.from(new TextEncoder().encode(content), (b) => table[b]!).join('');
}

let byteLevel: string[] | undefined;
/** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest map to U+0100+. Index = byte. */
export function byteLevelTable(): readonly string[] {
  if (byteLevel) return byteLevel;
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return (byteLevel = table);
}

/** FNV-1a over every token (with a separator): ~1 ms for 49k tokens; enough to tell apart the few tokenizers a page loads. */
function fingerprint(tokens: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const t of tokens) {
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xffff, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + tokens.length.toString(36);
}
