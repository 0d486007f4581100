/**
 * Redaction's detection in the worker (issue 16): the pattern detectors, and the
 * redaction model when one is configured, over every text of one request; their spans
 * go through the same overlap resolution as on the page (`find.ts`). Given the values the
 * page already knows, the literal pass runs here too (the same `literal-pass.ts` as on
 * the page), so the page only numbers ready spans. A lazy chunk, so the worker's entry
 * does not grow by the detectors and libphonenumber's metadata.
 */
import { yieldToEventLoop } from '../backends/onnx/yield.js';
import { EdgewiseError } from '../errors.js';
import { detectorsFor, findSpans } from '../privacy/find.js';
import { literalPass } from '../privacy/literal-pass.js';
import type { Detector, Span } from '../privacy/span.js';
import { packSpans, type PackedSpans } from '../privacy/worker-spans.js';
import type { WorkerFindRequest } from './protocol.js';

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new EdgewiseError('aborted', 'Redaction was aborted.');
}

/** Packed spans per text (see `worker-spans.ts`), complete when `request.known` was given. */
export async function findInWorker(request: WorkerFindRequest, signal: AbortSignal): Promise<PackedSpans> {
  const { texts, options, model, known } = request;
  const fromModel = model === undefined ? undefined : await (await import('./redact-model.js')).findModelSpans(texts, model, { config: request.config, minScore: options.model?.minScore, types: options.types }, signal);
  const detectors = detectorsFor(options);
  const out: Span[][] = [];
  for (let i = 0; i < texts.length; i++) {
    // An abort from the page arrives as a message: let it land between texts.
    if (i > 0) await yieldToEventLoop();
    throwIfAborted(signal);
    const extra = fromModel?.[i];
    const modelDetector: Detector | undefined = extra && ((_text, found) => { for (const s of extra) found.push(s); });
    out.push(findSpans(texts[i]!, modelDetector ? [...detectors, modelDetector] : detectors));
  }
  if (known === undefined) return packSpans({ spans: out, complete: false });
  await yieldToEventLoop();
  throwIfAborted(signal);
  return packSpans({ spans: literalPass(texts, out, known), complete: true });
}
