/**
 * The seam between detection and the session: a finder turns texts into spans, either
 * here on the calling thread (small inputs, Node, no worker) or in the SDK's worker
 * (large inputs, and always when the model tier is configured), so the session that
 * numbers placeholders never cares where detection ran.
 *
 * A finder may also run the literal pass (`literal-pass.ts`) where it detects: the worker
 * does, given the values the session already knows, so that the page receives every span
 * of a 200 KB paste ready to number instead of searching the text again on the main
 * thread (issue 16: the page must not block more than 16 ms on redaction). The result
 * says which it did, and the session runs the pass itself when the finder did not.
 */
import type { RedactOptions } from '../config-types.js';
import type { RedactionType } from '../route/vocab.js';
import { detectorsFor, findSpans } from './find.js';
import type { Span } from './span.js';

/** Values hidden before (the middleware's memory, the session's own table), each with the type it was hidden as. */
export type KnownValues = readonly (readonly [string, RedactionType])[];

/** One finder call's options. */
export interface FindCall {
  signal?: AbortSignal;
  /**
   * Every value the literal pass must hide besides the detected ones. Given, a finder may
   * run the pass and answer `complete: true`; left out, it only detects.
   */
  known?: KnownValues;
}

/** What a finder answers. */
export interface FoundSpans {
  /** Spans per text, each list non-overlapping and in text order. */
  spans: Span[][];
  /**
   * `false`: the detectors' spans only; the session runs the literal pass over them.
   * `true`: the literal pass ran too, over the detected and the known values: every
   * occurrence is a span, carrying the type and `counted` the session numbers it with.
   */
  complete: boolean;
}

export type SpanFinder = (texts: readonly string[], call?: FindCall) => Promise<FoundSpans>;

/**
 * Detection on the calling thread with the pattern detectors. It leaves the literal pass
 * to the session, which runs on this same thread anyway.
 */
export function localFinder(options: RedactOptions): SpanFinder {
  const detectors = detectorsFor(options);
  return async (texts) => ({ spans: texts.map((t) => findSpans(t, detectors)), complete: false });
}
