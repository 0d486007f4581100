/**
 * The seam between detection and the session: a finder turns texts into spans, either
 * here on the calling thread (small inputs, Node, no worker) or in the SDK's worker
 * (large inputs, and always when the model tier is configured), so the session that
 * numbers placeholders never cares where detection ran.
 */
import type { RedactOptions } from '../config-types.js';
import { detectorsFor, findSpans } from './find.js';
import type { Span } from './span.js';

/** Spans per text, each list non-overlapping and in text order. */
export type SpanFinder = (texts: readonly string[], signal?: AbortSignal) => Promise<Span[][]>;

/** Detection on the calling thread with the pattern detectors. */
export function localFinder(options: RedactOptions): SpanFinder {
  const detectors = detectorsFor(options);
  return async (texts) => texts.map((t) => findSpans(t, detectors));
}
