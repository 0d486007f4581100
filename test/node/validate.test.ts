import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../src/errors.js';
import { resolveModel } from '../../src/model/spec.js';
import type { GenerateRequest } from '../../src/types.js';
import { checkRequest } from '../../src/validate.js';

function codeOf(f: () => unknown): string {
  try { f(); } catch (e) { return isEdgewiseError(e) ? e.code : `untyped: ${String(e)}`; }
  return 'no error';
}
const check = (r: unknown) => () => checkRequest(r as GenerateRequest, 0);

describe('request validation', () => {
  it('fills documented defaults', () => {
    const w = checkRequest({ prompt: 'hi', seed: 5 }, 0).request;
    expect(w).toMatchObject({ prompt: 'hi', maxTokens: 256, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 5, stop: [], includeTokenIds: false });
  });

  it.each([
    ['empty messages', { messages: [] }, 'empty_messages'],
    ['content not a string', { messages: [{ role: 'user', content: null }] }, 'invalid_message'],
    ['unknown role', { messages: [{ role: 'robot', content: 'x' }] }, 'invalid_message'],
    ['both prompt and messages', { prompt: 'x', messages: [{ role: 'user', content: 'y' }] }, 'invalid_request'],
    ['neither', {}, 'invalid_request'],
    ['maxTokens 0', { prompt: 'x', maxTokens: 0 }, 'invalid_max_tokens'],
    ['maxTokens 2.5', { prompt: 'x', maxTokens: 2.5 }, 'invalid_max_tokens'],
    ['temperature -1', { prompt: 'x', temperature: -1 }, 'invalid_temperature'],
    ['temperature NaN', { prompt: 'x', temperature: NaN }, 'invalid_temperature'],
    ['topP 0', { prompt: 'x', topP: 0 }, 'invalid_sampling'],
    ['topK -1', { prompt: 'x', topK: -1 }, 'invalid_sampling'],
    ['empty stop string', { prompt: 'x', stop: [''] }, 'invalid_request'],
  ])('%s → %s', (_name, req, code) => {
    expect(codeOf(check(req))).toBe(code);
  });
});

describe('model spec resolution', () => {
  it('maps dtypes to transformers.js file names via the catalog default', () => {
    const m = resolveModel({ id: 'SmolLM2-135M-Instruct' });
    expect(m.dtype).toBe('q4');
    expect(m.url).toMatch(/^https:\/\/huggingface\.co\/HuggingFaceTB\/SmolLM2-135M-Instruct\/resolve\/main\/$/);
    expect(m.key).toBe('SmolLM2-135M-Instruct:q4');
  });

  it('rejects an unknown id without url and an unknown dtype', () => {
    expect(codeOf(() => resolveModel({ id: 'nope' }))).toBe('invalid_model_spec');
    expect(codeOf(() => resolveModel({ id: 'x', url: 'http://h/m/', dtype: 'q3' as 'q4' }))).toBe('invalid_model_spec');
  });

  it('adds the trailing slash a folder URL needs', () => {
    expect(resolveModel({ id: 'x', url: 'http://h/models/m' }).url).toBe('http://h/models/m/');
  });
});
