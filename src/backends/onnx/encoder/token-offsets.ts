/**
 * Character offsets for tokens, pure. `@huggingface/tokenizers` (0.2) returns ids and token
 * strings but no offsets, so each token's text is found again in the input: the token is
 * cleaned of its tokenizer's markers (WordPiece `##`, SentencePiece `▁`, byte-level `Ġ`/`Ċ`)
 * and searched for from where the previous token ended, in a copy of the input folded the
 * way BERT's normalizer folds it (lower case, accents stripped), with a map back to the
 * original positions. A token that cannot be found ([UNK], bytes of a split character) gets
 * the gap between its found neighbours, so a span never loses characters to it.
 */

/** `[start, end)` in the input; -1 for a token that was not found and had no gap to take. */
export type Offsets = [number, number];

/** How far past the previous token a token may be found; further means it is not this one (skipped text is whitespace or dropped control characters). */
const MAX_SKIP = 64;

const COMBINING = /[\u0300-\u036f]/g;

/** The input folded per character, with the input index of every folded code unit. */
function fold(text: string): { folded: string; at: number[] } {
  let folded = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = ch.normalize('NFD').replace(COMBINING, '').toLowerCase();
    for (let k = 0; k < f.length; k++) at.push(i);
    folded += f;
    i += ch.length;
  }
  at.push(text.length);
  return { folded, at };
}

/** A token's surface text, markers removed and folded like the input; '' when it has none to find. */
export function surfaceOf(token: string): string {
  let t = token;
  if (t.startsWith('##')) t = t.slice(2);
  t = t.replace(/[▁Ġ]/g, ' ').replace(/Ċ/g, '\n').trim();
  if (/^\[[A-Z]+\]$/.test(t) || /^<[^>]+>$/.test(t)) return '';
  return t.normalize('NFD').replace(COMBINING, '').toLowerCase();
}

/**
 * One `[start, end)` per token, in the order given. Tokens must be in text order (they are:
 * one text's encoding without special tokens).
 *
 * @example
 * alignOffsets('Hi Alice', ['hi', 'ali', '##ce']); // [[0, 2], [3, 6], [6, 8]]
 */
export function alignOffsets(text: string, tokens: readonly string[]): Offsets[] {
  const { folded, at } = fold(text);
  const out: Offsets[] = tokens.map(() => [-1, -1]);
  let cursor = 0;
  for (let i = 0; i < tokens.length; i++) {
    const s = surfaceOf(tokens[i]!);
    if (s === '') continue;
    // Searched only a short way ahead: a scan of the whole rest per unfound token would be quadratic on a long paste.
    const near = folded.slice(cursor, cursor + MAX_SKIP + s.length).indexOf(s);
    if (near === -1) continue;
    const found = cursor + near;
    out[i] = [at[found]!, nextStart(at, found + s.length - 1)];
    cursor = found + s.length;
  }
  fillGaps(out, text.length);
  return out;
}

/** The input index just after the character that folded unit `k` came from. */
function nextStart(at: readonly number[], k: number): number {
  const from = at[k]!;
  for (let j = k + 1; j < at.length; j++) if (at[j]! !== from) return at[j]!;
  return at[at.length - 1]!;
}

/** Unfound tokens take the text between the found tokens around them (trimmed of nothing: a hidden space is harmless). */
function fillGaps(out: Offsets[], length: number): void {
  for (let i = 0; i < out.length; i++) {
    if (out[i]![0] !== -1) continue;
    let j = i;
    while (j < out.length && out[j]![0] === -1) j++;
    const start = i > 0 ? out[i - 1]![1] : 0;
    const end = j < out.length ? out[j]![0] : length;
    for (let k = i; k < j; k++) out[k] = end > start ? [start, end] : [-1, -1];
    i = j;
  }
}
