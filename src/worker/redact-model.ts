/**
 * The redaction model in the worker (issue 16, `redact.model`): one token classifier,
 * loaded through the weight store on first use (so its files are cached in IndexedDB like
 * any model's), kept for later requests, and turned into spans for `find.ts`. A lazy
 * chunk: an engine without `redact.model` never loads it, nor onnxruntime-web for it.
 */
import type { WorkerConfig } from '../backends/kind.js';
import { loadEncoderFiles } from '../backends/onnx/embedder.js';
import { openTokenClassifier, type TokenClassifier } from '../backends/onnx/encoder/token-classify.js';
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import type { ResolvedModel } from '../model/spec.js';
import { modelSpans } from '../privacy/model-labels.js';
import type { Span } from '../privacy/span.js';
import { REDACTION_TYPES, type RedactionType } from '../route/vocab.js';

/** The model's default floor on a token's winning probability (see `RedactModelSpec.minScore`). */
const DEFAULT_MIN_SCORE = 0.5;

let held: { key: string; classifier: Promise<TokenClassifier> } | undefined;

function failed(model: ResolvedModel, cause: unknown): EdgewiseError {
  const why = isEdgewiseError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
  return new EdgewiseError('redaction_failed', `The redaction model "${model.id}" (${model.url}) could not be used (${why}); the request was not sent, since the app asked for this model to check it.`, { cause, details: { model: model.id, ...(isEdgewiseError(cause) ? { reason: cause.code } : {}) } });
}

/** The classifier for `model`, loaded once; a failed load is forgotten so the next request tries again. */
async function classifierFor(model: ResolvedModel, config: WorkerConfig): Promise<TokenClassifier> {
  if (held?.key !== model.key) {
    const previous = held;
    // Loaded without the request's signal: the load is shared, and one request's abort must not fail another's.
    const classifier = loadEncoderFiles(model, config).then(({ files, ort }) => openTokenClassifier(ort, files));
    held = { key: model.key, classifier };
    classifier.catch(() => { if (held?.classifier === classifier) held = undefined; });
    void previous?.classifier.then((c) => c.release(), () => undefined);
  }
  return held.classifier;
}

/**
 * The model's spans for each text, in the types `types` allows. Rejects with
 * `redaction_failed` when the model cannot load or run, `aborted` when `signal` fires.
 */
export async function findModelSpans(texts: readonly string[], model: ResolvedModel, o: { config: WorkerConfig; minScore: number | undefined; types: readonly RedactionType[] | undefined }, signal: AbortSignal): Promise<Span[][]> {
  const allowed = new Set<RedactionType>(o.types ?? REDACTION_TYPES);
  try {
    const classifier = await classifierFor(model, o.config);
    const entities = await classifier.classify(texts, { signal, minScore: o.minScore ?? DEFAULT_MIN_SCORE });
    return texts.map((t, i) => modelSpans(t, entities[i] ?? [], allowed));
  } catch (e) {
    if (signal.aborted || (isEdgewiseError(e) && e.code === 'aborted')) throw new EdgewiseError('aborted', 'Redaction was aborted.', { cause: e });
    throw failed(model, e);
  }
}
