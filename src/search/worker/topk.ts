/**
 * A bounded min-heap of the best `k` (score, row) pairs: O(n log k) over a scan, with
 * its two typed arrays allocated once per search, never per row. Equal scores keep the
 * row pushed first (a scan pushes rows in order), so results are deterministic.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.rows = new Int32Array(k);
  }

  /** The score a row must beat to enter (−Infinity while the heap is not full). */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(row: number, score: number): void {
    const { scores, rows, k } = this;
    if (this.size < k) {
      let i = this.size++;
      // Sift up: the parent is (i - 1) >> 1.
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(score, row, scores[p]!, rows[p]!)) break;
        scores[i] = scores[p]!;
        rows[i] = rows[p]!;
        i = p;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    if (!(score > scores[0]!)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) break;
      const r = l + 1;
      const c = r < k && worse(scores[r]!, rows[r]!, scores[l]!, rows[l]!) ? r : l;
      if (!worse(scores[c]!, rows[c]!, score, row)) break;
      scores[i] = scores[c]!;
      rows[i] = rows[c]!;
      i = c;
    }
    scores[i] = score;
    rows[i] = row;
  }

  /** The kept pairs, best first (ties: the earlier row first). */
  sorted(): { row: number; score: number }[] {
    const out: { row: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ row: this.rows[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.row - b.row);
  }
}

/** Heap order: a lower score is worse; at equal scores the later row is worse (it leaves first). */
function worse(s1: number, r1: number, s2: number, r2: number): boolean {
  return s1 < s2 || (s1 === s2 && r1 > r2);
}
