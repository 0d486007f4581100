/**
 * Checks the `redact` option once, at `createEngine` time, so a typo fails at once with a
 * message that says what to pass instead, rather than silently redacting less.
 */
import { EdgewiseError } from '../errors.js';
import { REDACTION_TYPES, type RedactionType } from '../route/vocab.js';
import type { RedactOptions } from '../config-types.js';

const KEYS = ['types', 'terms', 'patterns'];
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
  if (unknown.length > 0) fail(`unknown key ${JSON.stringify(unknown[0])}: the keys are types, terms and patterns.`);

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
  return out;
}
