/**
 * Checks the `redact` option once, at `createEngine` time, so a typo fails at once with a
 * message that says what to pass instead, rather than silently redacting less.
 */
import { EdgewiseError } from '../errors.js';
import { REDACTION_TYPES, type RedactionType } from '../route/vocab.js';
import type { Dtype, RedactModelSpec, RedactOptions, RestoreMode } from '../config-types.js';

const KEYS = ['types', 'terms', 'patterns', 'restore', 'model'];
const RESTORE = ['text', 'all', 'none'];
const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'q4', 'q4f16'];
const PROBES = ['', ' aZ9_-.@\n'];

function fail(message: string): never {
  throw new EdgewiseError('invalid_option', `redact: ${message}`, { details: { option: 'redact' } });
}

function list(value: unknown, name: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(`\`${name}\` must be an array, e.g. ${name}: [] .`);
  return value;
}

/** True when some probe text yields a zero-length match (`/\d*\/`, `/a?/`, `/\b/`). */
/** `instanceof` fails for a RegExp made in another realm (an iframe, a worker's structured clone). */
function isRegExp(value: unknown): value is RegExp {
  return Object.prototype.toString.call(value) === '[object RegExp]';
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function matchesEmpty(pattern: RegExp): boolean {
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g');
  return PROBES.some((probe) => [...probe.matchAll(re)].some((m) => m[0] === ''));
}

/**
 * Validates the engine's `redact` option and returns a normalized copy: `false` (off)
 * stays `false`, `undefined` means the defaults (`{}`: every built-in detector).
 * Throws `EdgewiseError('invalid_option')` with `details.option === 'redact'` otherwise.
 *
 * @example
 * const redact = validateRedactOptions(options.redact); // at createEngine time
 * if (redact !== false) session = createRedactionSession(redact);
 */
export function validateRedactOptions(options: unknown): RedactOptions | false {
  if (options === false) return false;
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options) || isRegExp(options)) {
    fail(`expected false (off) or an object { types?, terms?, patterns? }, got ${options === null ? 'null' : typeof options}.`);
  }
  const raw = options as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) fail(`unknown key ${JSON.stringify(unknown[0])}: the keys are types, terms, patterns, restore and model.`);

  const out: RedactOptions = {};
  if (raw.types !== undefined) {
    out.types = list(raw.types, 'types').map((t) => {
      if (typeof t !== 'string' || !(REDACTION_TYPES as readonly string[]).includes(t)) {
        fail(`unknown type ${describe(t)} in \`types\`: use some of ${REDACTION_TYPES.map((x) => `'${x}'`).join(', ')}.`);
      }
      return t as RedactionType;
    });
  }
  if (raw.terms !== undefined) {
    out.terms = list(raw.terms, 'terms').map((t, i) => {
      if (typeof t !== 'string' || t.trim() === '') fail(`terms[${i}] is ${describe(t)}: each term must be a non-empty string, e.g. 'Project Falcon'.`);
      return t;
    });
  }
  if (raw.patterns !== undefined) {
    out.patterns = list(raw.patterns, 'patterns').map((p, i) => {
      if (!isRegExp(p)) fail(`patterns[${i}] is not a RegExp: pass a regular expression such as /EMP-\\d{6}/.`);
      if (matchesEmpty(p)) fail(`patterns[${i}] ${String(p)} can match the empty string: make it match at least one character (e.g. + instead of *).`);
      return new RegExp(p.source, p.flags);
    });
  }
  if (raw.restore !== undefined) {
    if (typeof raw.restore !== 'string' || !RESTORE.includes(raw.restore)) fail(`restore is ${describe(raw.restore)}: use 'text' (the default), 'all' or 'none'.`);
    out.restore = raw.restore as RestoreMode;
  }
  if (raw.model !== undefined) out.model = modelSpec(raw.model);
  return out;
}

function modelSpec(value: unknown): RedactModelSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail("model must be an object such as { id: 'privacy-filter', url: 'https://…/privacy-filter/' }.");
  const m = value as Record<string, unknown>;
  const extra = Object.keys(m).find((k) => !['id', 'url', 'dtype', 'minScore'].includes(k));
  if (extra !== undefined) fail(`model: unknown key ${JSON.stringify(extra)}: the keys are id, url, dtype and minScore.`);
  if (typeof m.id !== 'string' || m.id.trim() === '') fail('model.id must be a non-empty string (the cache key), e.g. \'privacy-filter\'.');
  if (typeof m.url !== 'string' || m.url.trim() === '') fail('model.url must be the URL of the model folder (Optimum layout), e.g. \'https://example.com/models/ner/\'.');
  if (m.dtype !== undefined && (typeof m.dtype !== 'string' || !DTYPES.includes(m.dtype))) fail(`model.dtype is ${describe(m.dtype)}: use one of ${DTYPES.join(', ')}.`);
  if (m.minScore !== undefined && (typeof m.minScore !== 'number' || !(m.minScore >= 0 && m.minScore <= 1))) fail(`model.minScore is ${describe(m.minScore)}: use a number from 0 to 1.`);
  return { id: m.id, url: m.url, ...(m.dtype !== undefined ? { dtype: m.dtype as Dtype } : {}), ...(m.minScore !== undefined ? { minScore: m.minScore } : {}) };
}
