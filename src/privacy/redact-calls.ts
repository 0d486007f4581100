/**
 * What the redaction middleware does to each call (see `middleware.ts`): every text of the
 * request goes out with personal data replaced by placeholders (`session-request.ts`),
 * and the answer comes back with the originals restored where that is safe
 * (`restorer.ts`). A lazy chunk, with the detectors.
 *
 * Tool-call arguments are restored in full, URLs included, whatever `restore` says short
 * of `'none'`: they go to the app's own code, which needs the real values to act, not to
 * a renderer. An app that puts them into a page renders them as untrusted text.
 */
import type { BackendPart } from '../backends/backend.js';
import type { BackendMiddleware } from '../backends/middleware.js';
import type { RedactOptions } from '../config-types.js';
import type { Redactions } from '../types.js';
import { localFinder, type SpanFinder } from './finder.js';
import { openSession, type RedactionSession } from './session.js';
import { createValueMemory, REMEMBERED_VALUES } from './session-memory.js';
import { mapJsonText, requestTexts, withTexts } from './session-request.js';
import type { Restorer } from './restorer.js';

/**
 * The user-timing entry of the latest call's page-side step, from the finder's answer to
 * the request ready to leave (numbering, replacement, rebuilding, the memory), for
 * devtools and tests: issue 16 wants it under 16 ms, the length of a frame.
 * `detail.complete`: whether the finder had run the literal pass already;
 * `detail.longestSliceMs`: the longest the page was held in one go (the step yields between
 * slices, so its duration may include other work of the page).
 */
export const APPLY_MEASURE = 'edgewise:redaction-apply';

/**
 * The page-side step hands the thread back after this long (see `session-slices.ts`): half
 * a frame, so the request's own last slice and rebuilding still fit in one.
 */
const SLICE_MS = 8;

function measureApply(start: number, detail: { complete: boolean; spans: number; longestSliceMs: number }): void {
  try {
    // Only the latest is kept: user-timing entries are never dropped by the browser, and a long session makes many requests.
    performance.clearMeasures(APPLY_MEASURE);
    performance.measure(APPLY_MEASURE, { start, detail });
  } catch {
    // No User Timing Level 3 (old engines): the entry is only diagnostics.
  }
}

/** One whole string restored everywhere (a tool-call argument arrives whole, not in chunks). */
function restoreWhole(session: RedactionSession, text: string): string {
  const r = session.restorer('all');
  return r.push(text) + r.flush();
}

function redactionsOf(session: RedactionSession, restore: Restorer): Redactions {
  const unrestored = restore.unrestored();
  return unrestored > 0 ? { ...session.counts(), unrestored } : session.counts();
}

/**
 * One instance per wrapped backend (per engine), which remembers the values it hid (see
 * `session-memory.ts`). Options must already be validated.
 */
export function redactingMiddleware(options: RedactOptions, finder: SpanFinder = localFinder(options)): Required<BackendMiddleware> {
  const memory = createValueMemory();
  const mode = options.restore ?? 'text';

  /** `texts` through the finder (with what the session knows, so a worker runs the literal pass too), then redacted into `build`'s result. */
  async function redacted<T>(session: RedactionSession, texts: readonly string[], signal: AbortSignal | undefined, build: (out: string[]) => T): Promise<T> {
    const found = await finder(texts, { ...(signal ? { signal } : {}), known: session.known() });
    const start = performance.now();
    const sliced = await session.redactTextsSliced(texts, found, SLICE_MS, signal);
    const tail = performance.now();
    const result = build(sliced.texts);
    // Only the newest REMEMBERED_VALUES can stay, so the older ones need not go in and out
    // again: a 200 KB paste hides ~4,500 values, and that churn cost the page 1.5 to 5 ms.
    memory.remember(session.values().slice(-REMEMBERED_VALUES));
    const longestSliceMs = Math.max(sliced.longestSliceMs, performance.now() - tail);
    measureApply(start, { complete: found.complete, spans: found.spans.reduce((n, l) => n + l.length, 0), longestSliceMs });
    return result;
  }

  return {
    async *wrapGenerate({ request, options: call, next }): AsyncGenerator<BackendPart> {
      const session = openSession(options, memory.entries());
      const outgoing = await redacted(session, requestTexts(request), call.signal, (out) => withTexts(request, out));
      const restore = session.restorer(mode);
      try {
        for await (const p of next(outgoing)) {
          if (p.type === 'text') {
            const text = restore.push(p.text);
            if (text) yield { type: 'text', text };
          } else if (p.type === 'tool-call') {
            yield mode === 'none' ? p : { ...p, arguments: mapJsonText(p.arguments, (s) => restoreWhole(session, s)) };
          } else if (p.type === 'finish') {
            const tail = restore.flush();
            if (tail) yield { type: 'text', text: tail };
            yield { ...p, redactions: redactionsOf(session, restore), restored: restore.restored() };
          } else {
            yield p;
          }
        }
      } catch (e) {
        // What was held back is text the app would have seen had the stream gone on: not lost silently.
        const tail = restore.flush();
        if (tail) yield { type: 'text', text: tail };
        throw e;
      }
      const tail = restore.flush();
      if (tail) yield { type: 'text', text: tail };
    },
    async wrapEmbed({ request, options: call, next }) {
      const session = openSession(options, memory.entries());
      const texts = await redacted(session, request.texts, call.signal, (out) => out);
      const result = await next({ ...request, texts });
      return { ...result, redactions: session.counts() };
    },
  };
}
