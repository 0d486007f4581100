/**
 * Where redaction's detection runs (issue 16). Small inputs stay on the calling thread:
 * a worker round trip would cost more than the detectors. Large ones go to the SDK's own
 * worker (the one that runs local models; a remote-only engine starts it on the first
 * large input), so the page never blocks on them. With `redact.model` configured, every
 * input goes to the worker, where the model runs.
 *
 * Nothing unredacted ever leaves because of a failure here: when the worker dies or cannot
 * start, the patterns run on the page instead; when the model cannot load or run, the
 * request fails with `redaction_failed`, since the app asked for the model to check it.
 * A lazy chunk, loaded with the detectors.
 */
import type { WorkerConfig } from '../backends/kind.js';
import type { RedactOptions } from '../config-types.js';
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { resolveModel, type ResolvedModel } from '../model/spec.js';
import type { WorkerHandle } from '../worker/handle.js';
import { localFinder, type FoundSpans, type SpanFinder } from './finder.js';
import { unpackSpans } from './worker-spans.js';

/**
 * Total characters of a request from which detection moves to the worker. Measured in
 * Chromium 156 on the 2-core test machine (the page's `localFinder`, median of 5, warm):
 * dense phone-number pastes, the detectors' worst case, take 5.9 ms at 8 KB (max 7.6),
 * 5.3 ms at 16 KB (max 9.8), 21 ms at 64 KB and 47 ms at 200 KB (137 ms on the first,
 * cold run); a mixed support-chat paste 0.9 ms at 8 KB; prose well under 1 ms. At 8 KB
 * even the worst case leaves most of a 16 ms frame to the replacement pass on a device
 * two or three times slower than this one (mid-range phones), while a warm worker round
 * trip costs ~1 ms and a cold start ~140 ms (the worker and its detector chunk load):
 * not worth it for the short messages that are nearly all traffic.
 */
export const WORKER_MIN_CHARS = 8 * 1024;

/** The user-timing entry the latest detection leaves (`detail.where`: `'page'` or `'worker'`), for devtools and tests. */
export const DETECT_MEASURE = 'edgewise:redaction-detect';

export interface OffloadEnv {
  /** The engine's worker handle, made on first use. */
  handle: () => WorkerHandle;
  config: WorkerConfig;
  /** Overrides {@link WORKER_MIN_CHARS} (tests). */
  minChars?: number;
}

function measure(start: number, where: 'page' | 'worker', chars: number): void {
  try {
    // Only the latest is kept: user-timing entries are never dropped by the browser, and a long session makes many requests.
    performance.clearMeasures(DETECT_MEASURE);
    performance.measure(DETECT_MEASURE, { start, detail: { where, chars } });
  } catch {
    // No User Timing Level 3 (old engines): the entry is only diagnostics.
  }
}

const aborted = (signal: AbortSignal): EdgewiseError => new EdgewiseError('aborted', 'Redaction was aborted by its signal.', { cause: signal.reason });

/** Rejects as soon as `signal` fires: a worker busy with a long text answers the abort only after it. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A {@link SpanFinder} that picks the thread per request: the page for small inputs and
 * where there is no `Worker` (Node), the SDK's worker otherwise. `options` must be validated.
 *
 * @example
 * const finder = offloadFinder(redact, { handle: env.handle, config: env.config });
 * const found = await finder(['a 200 KB paste …'], { signal, known: session.known() }); // detected in the worker, literal pass included
 */
export function offloadFinder(options: RedactOptions, env: OffloadEnv): SpanFinder {
  const local = localFinder(options);
  const spec = options.model;
  // Resolved here: a relative model URL means the page's folder, not the worker script's.
  const model: ResolvedModel | undefined = spec && resolveModel({ id: spec.id, url: spec.url, ...(spec.dtype ? { dtype: spec.dtype } : {}) }, 'fp32');
  const minChars = env.minChars ?? WORKER_MIN_CHARS;
  const hasWorker = typeof Worker !== 'undefined';
  // An engine with local models already runs the worker: the detectors' chunk loads there
  // now, so the first large paste does not wait for it. A remote-only engine's worker is
  // started by the first input that needs it, not here.
  if (hasWorker && env.handle().running()) {
    void env.handle().request((c, requestId) => c.api.findSpans({ texts: [], options: {}, config: env.config, requestId })).catch(() => undefined);
  }

  /** Detection only: the session runs the literal pass over what this finds. */
  async function onPage(texts: readonly string[], chars: number): Promise<FoundSpans> {
    const start = performance.now();
    const spans = await local(texts);
    measure(start, 'page', chars);
    return spans;
  }

  return async (texts, call = {}) => {
    const { signal, known } = call;
    if (signal?.aborted) throw aborted(signal);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    if (!model && (!hasWorker || chars < minChars)) return onPage(texts, chars);
    if (!hasWorker) {
      throw new EdgewiseError('redaction_failed', 'redact.model runs in the SDK\'s worker, and this environment has no Worker; nothing was sent. Remove redact.model to redact with the patterns only.', { details: { reason: 'no_worker' } });
    }
    const start = performance.now();
    try {
      const packed = await raceAbort(env.handle().request((c, requestId) => c.api.findSpans({ texts, options, ...(model ? { model } : {}), ...(known ? { known } : {}), config: env.config, requestId }), signal), signal);
      measure(start, 'worker', chars);
      return unpackSpans(packed);
    } catch (e) {
      if (signal?.aborted) throw aborted(signal);
      if (isEdgewiseError(e) && (e.code === 'aborted' || e.code === 'disposed' || e.code === 'redaction_failed')) throw e;
      if (model) {
        throw new EdgewiseError('redaction_failed', `The redaction model could not run: the worker failed (${isEdgewiseError(e) ? e.code : String(e)}); nothing was sent.`, { cause: e, details: { model: model.id, ...(isEdgewiseError(e) ? { reason: e.code } : {}) } });
      }
      // The worker died or could not start: the same patterns, here, rather than nothing
      // (detection only: the session then runs the literal pass itself).
      return onPage(texts, chars);
    }
  };
}
