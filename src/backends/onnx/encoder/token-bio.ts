/**
 * Per-token labels → entities, pure. Reads the tagging schemes NER exports use: IOB2/BIO
 * (`B-PER`, `I-PER`), IOB1 (an `I-` after something else starts an entity), BIOES/BILOU
 * (`E-`/`L-` ends one, `S-`/`U-` is a one-token entity) and bare labels (`PER`, read as
 * `I-PER`). An entity's score is the mean probability of its tokens, as transformers'
 * `aggregation_strategy="simple"` computes it.
 */

export interface TokenLabel {
  /** The winning label, e.g. `'B-PER'`; `'O'` (or below the score floor) for none. */
  label: string;
  /** Its softmax probability. */
  score: number;
  start: number;
  end: number;
}

export interface Entity {
  /** The label without its scheme prefix, e.g. `'PER'`, `'private_person'`. */
  label: string;
  start: number;
  end: number;
  score: number;
}

const PREFIX = /^([BIESLU])[-_](.+)$/;

function parse(label: string): { tag: string; name: string } | undefined {
  if (label === 'O' || label === '') return undefined;
  const m = PREFIX.exec(label);
  return m ? { tag: m[1]!, name: m[2]! } : { tag: 'I', name: label };
}

/**
 * Entities in token order. Tokens without offsets (`start < 0`) continue whatever is open
 * without moving its ends.
 *
 * @example
 * decodeEntities([{ label: 'B-PER', score: 0.9, start: 0, end: 5 }, { label: 'I-PER', score: 0.7, start: 6, end: 11 }]);
 * // [{ label: 'PER', start: 0, end: 11, score: 0.8 }]
 */
export function decodeEntities(tokens: readonly TokenLabel[]): Entity[] {
  const out: Entity[] = [];
  let open: { label: string; start: number; end: number; sum: number; n: number } | undefined;
  const close = (): void => {
    if (open && open.start >= 0 && open.end > open.start) out.push({ label: open.label, start: open.start, end: open.end, score: open.sum / open.n });
    open = undefined;
  };
  for (const t of tokens) {
    const p = parse(t.label);
    if (!p) {
      close();
      continue;
    }
    const continues = open !== undefined && open.label === p.name && (p.tag === 'I' || p.tag === 'E' || p.tag === 'L');
    if (!continues) {
      close();
      open = { label: p.name, start: t.start, end: t.end, sum: 0, n: 0 };
    }
    const o = open!;
    if (t.start >= 0) {
      if (o.start < 0) o.start = t.start;
      o.end = Math.max(o.end, t.end);
    }
    o.sum += t.score;
    o.n++;
    if (p.tag === 'E' || p.tag === 'L' || p.tag === 'S' || p.tag === 'U') close();
  }
  close();
  return out;
}
