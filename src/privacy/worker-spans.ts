/**
 * Spans as they cross the worker boundary: one `Int32Array` per text, four numbers a span
 * (start, end, type index, counted), transferred rather than cloned. A 200 KB paste holds
 * ~9,000 spans; as objects, the page would deserialize them in one task on the main
 * thread, as buffers it receives them in microseconds and rebuilds the objects itself.
 */
import { REDACTION_TYPES } from '../route/vocab.js';
import type { FoundSpans } from './finder.js';
import type { Span } from './span.js';

/** A finder's answer on the wire (see `FoundSpans`). */
export interface PackedSpans {
  spans: Int32Array[];
  complete: boolean;
}

export function packSpans(found: FoundSpans): PackedSpans {
  const spans = found.spans.map((list) => {
    const out = new Int32Array(list.length * 4);
    list.forEach((s, i) => {
      out[i * 4] = s.start;
      out[i * 4 + 1] = s.end;
      out[i * 4 + 2] = REDACTION_TYPES.indexOf(s.type);
      out[i * 4 + 3] = s.counted ? 1 : 0;
    });
    return out;
  });
  return { spans, complete: found.complete };
}

export function unpackSpans(packed: PackedSpans): FoundSpans {
  const spans = packed.spans.map((p) => {
    const list: Span[] = new Array<Span>(p.length / 4);
    for (let i = 0; i < list.length; i++) {
      list[i] = { start: p[i * 4]!, end: p[i * 4 + 1]!, type: REDACTION_TYPES[p[i * 4 + 2]!] ?? 'pattern', counted: p[i * 4 + 3] === 1 };
    }
    return list;
  });
  return { spans, complete: packed.complete };
}
