/**
 * `engine.answer()`: retrieval, a grounded prompt with numbered passages, then the
 * engine's own generate path (routing, failover, redaction), with `source` parts first.
 * A lazy chunk: pages that never answer from an index never load it.
 */
import { EdgewiseError } from '../errors.js';
import type { AnswerPart, AnswerRequest } from '../search/types.js';
import type { GenerateRequest, Part } from '../types.js';

// Stub: filled in by the search work (issue 18).
export async function* answer(request: AnswerRequest, generate: (r: GenerateRequest) => AsyncIterable<Part>): AsyncGenerator<AnswerPart> {
  void request;
  void generate;
  throw new EdgewiseError('invalid_request', 'engine.answer() is not implemented yet.');
}
