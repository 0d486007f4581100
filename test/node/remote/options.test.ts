/** validateRemoteOptions: bad input fails at once with `invalid_option`, the option named and the fix said. */
import { describe, expect, it } from 'vitest';
import { createRemoteBackend, validateRemoteOptions } from '../../../src/backends/remote/index.js';
import { isEdgewiseError } from '../../../src/errors.js';

const ok = { baseURL: 'https://api.example.com/v1', model: 'gpt-4o-mini' };

function rejection(options: unknown): { option: unknown; message: string } {
  try {
    validateRemoteOptions(options);
  } catch (e) {
    if (!isEdgewiseError(e) || e.code !== 'invalid_option') throw e;
    return { option: e.details.option, message: e.message };
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('validateRemoteOptions', () => {
  it('accepts the minimal and the full form, and returns a copy', () => {
    expect(validateRemoteOptions(ok)).toEqual(ok);
    const token = (): string => 't';
    const full = { ...ok, headers: { 'x-a': 'b' }, token, prices: { input: 0.15, output: 0.6, currency: 'EUR' }, timeouts: { connectMs: 5000 }, maxRetries: 0 };
    const out = validateRemoteOptions(full);
    expect(out).toEqual(full);
    expect(out).not.toBe(full);
    expect(out.headers).not.toBe(full.headers);
    expect(validateRemoteOptions({ ...ok, baseURL: 'http://localhost:11434/v1/' }).baseURL).toBe('http://localhost:11434/v1/');
  });

  it.each([
    [undefined, 'remote', /pass \{ baseURL, model \}/],
    ['https://api.example.com/v1', 'remote', /pass \{ baseURL, model \}/],
    [{ model: 'm' }, 'remote.baseURL', /base URL/],
    [{ ...ok, baseURL: '' }, 'remote.baseURL', /base URL/],
    [{ ...ok, baseURL: 'not a url' }, 'remote.baseURL', /is not a URL/],
    [{ ...ok, baseURL: 'ftp://example.com/v1' }, 'remote.baseURL', /only http: and https:/],
    [{ baseURL: ok.baseURL }, 'remote.model', /model name/],
    [{ ...ok, model: '  ' }, 'remote.model', /model name/],
    [{ ...ok, headers: { a: 1 } }, 'remote.headers', /object of strings/],
    [{ ...ok, headers: 'x-a: b' }, 'remote.headers', /object of strings/],
    [{ ...ok, token: 'sk-abc' }, 'remote.token', /function/],
    [{ ...ok, prices: { input: 1 } }, 'remote.prices', /per million tokens/],
    [{ ...ok, prices: { input: -1, output: 1 } }, 'remote.prices', /per million tokens/],
    [{ ...ok, prices: { input: 1, output: 1, currency: 3 } }, 'remote.prices', /currency code/],
    [{ ...ok, timeouts: 1000 }, 'remote.timeouts', /connectMs/],
    [{ ...ok, timeouts: { connectMs: 0 } }, 'remote.timeouts', /positive number of milliseconds/],
    [{ ...ok, timeouts: { idleMs: Infinity } }, 'remote.timeouts', /positive number of milliseconds/],
    [{ ...ok, timeouts: { readMs: 5 } }, 'remote.timeouts', /not a timeout/],
    [{ ...ok, maxRetries: -1 }, 'remote.maxRetries', /integer from 0 to 10/],
    [{ ...ok, maxRetries: 1.5 }, 'remote.maxRetries', /integer from 0 to 10/],
    [{ ...ok, maxRetries: 100 }, 'remote.maxRetries', /integer from 0 to 10/],
    [{ ...ok, baseUrl: 'x' }, 'remote', /did you mean baseURL/],
    [{ ...ok, apiKey: 'sk-abc' }, 'remote', /token/],
    [{ ...ok, retries: 3 }, 'remote', /known options/],
  ])('rejects %j (%s)', (options, option, message) => {
    const r = rejection(options);
    expect(r.option).toBe(option);
    expect(r.message).toMatch(message);
  });

  it('never echoes a token or key back in the message', () => {
    expect(rejection({ ...ok, apiKey: 'sk-secret' }).message).not.toContain('sk-secret');
    expect(rejection({ ...ok, token: 'sk-secret' }).message).not.toContain('sk-secret');
    expect(rejection({ ...ok, headers: { authorization: 'Bearer sk-secret', n: 1 } }).message).not.toContain('sk-secret');
  });

  it('createRemoteBackend checks its options at once', () => {
    expect(() => createRemoteBackend({ baseURL: '', model: 'm' })).toThrow(expect.objectContaining({ code: 'invalid_option', details: { option: 'remote.baseURL' } }) as Error);
  });
});
