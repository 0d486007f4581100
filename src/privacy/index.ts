/**
 * Redaction of personal data before a request leaves the page, and restoration of the
 * originals in the streamed answer. The engine `import()`s this module only when a
 * request goes to the cloud, so its detectors and libphonenumber's metadata cost nothing
 * to apps that stay local. Nothing here touches the network, the DOM or a worker.
 */
import { EdgewiseError } from '../errors.js';
import type { RedactOptions } from '../config-types.js';
import { validateRedactOptions } from './options.js';
import { openSession, type RedactionSession } from './session.js';

export { validateRedactOptions } from './options.js';
export type { RedactionSession } from './session.js';
export type { Restorer, RestoredSpan } from './restorer.js';
export type { SpanFinder } from './finder.js';

/**
 * Starts a session: one table of placeholders shared by every text of a request and by
 * the restorer of its answer, with detection on this thread (the middleware uses a
 * finder instead, see `redact-calls.ts`). `types` narrows the built-in detectors (default: all of
 * them); `terms` and `patterns` run whenever given, since the app asked for them by name
 * (listing `'term'` or `'pattern'` in `types` is allowed and changes nothing). Options are
 * validated here too, so bad ones throw `EdgewiseError('invalid_option')`.
 *
 * @example
 * const session = createRedactionSession({ terms: ['Project Falcon'] });
 * const outgoing = session.redactMessages([{ role: 'user', content: 'Mail jane@example.com about Project Falcon' }]);
 * // outgoing[0].content === 'Mail [EMAIL_1] about [TERM_1]'
 * const restore = session.restorer();
 * restore.push('I wrote to [EMA') + restore.push('IL_1].') + restore.flush(); // 'I wrote to jane@example.com.'
 * session.counts(); // { email: 1, term: 1 }
 */
export function createRedactionSession(options: RedactOptions = {}): RedactionSession {
  const valid = validateRedactOptions(options);
  if (valid === false) {
    throw new EdgewiseError('invalid_option', 'redact: createRedactionSession() needs an options object ({} for the defaults); to turn redaction off, do not open a session.', { details: { option: 'redact' } });
  }
  return openSession(valid);
}
