/**
 * BM25 (Robertson–Spärck Jones; k1 = 1.2, b = 0.75, Lucene's always-positive idf
 * `ln(1 + (N − df + 0.5) / (df + 0.5))`) over the chunks an index shows. Tokens are
 * lower-cased runs of letters and digits, so names and numbers ("4711", "RFC") match
 * exactly, which is what the hybrid mode adds to the vectors.
 */
const K1 = 1.2;
const B = 0.75;
const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

interface Postings {
  rows: Int32Array;
  tfs: Float32Array;
}

export class Bm25 {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: Float32Array;
  private readonly avgdl: number;
  readonly rows: number;

  constructor(texts: readonly string[]) {
    this.rows = texts.length;
    this.lengths = new Float32Array(texts.length);
    const build = new Map<string, { rows: number[]; tfs: number[] }>();
    let total = 0;
    texts.forEach((text, row) => {
      const tokens = tokenize(text);
      this.lengths[row] = tokens.length;
      total += tokens.length;
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let p = build.get(t);
        if (!p) build.set(t, (p = { rows: [], tfs: [] }));
        p.rows.push(row);
        p.tfs.push(n);
      }
    });
    this.avgdl = texts.length > 0 ? total / texts.length : 0;
    for (const [t, p] of build) this.postings.set(t, { rows: Int32Array.from(p.rows), tfs: Float32Array.from(p.tfs) });
  }

  /** Adds each row's BM25 score for `query` into `out` (zeroed first); each distinct query term counts once. */
  score(query: string, out: Float32Array): void {
    out.fill(0);
    const n = this.rows;
    for (const term of new Set(tokenize(query))) {
      const p = this.postings.get(term);
      if (!p) continue;
      const df = p.rows.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let j = 0; j < df; j++) {
        const row = p.rows[j]!;
        const tf = p.tfs[j]!;
        const norm = this.avgdl > 0 ? 1 - B + (B * this.lengths[row]!) / this.avgdl : 1;
        out[row] = out[row]! + (idf * tf * (K1 + 1)) / (tf + K1 * norm);
      }
    }
  }
}
