/** The one helper every URL and server text passes through before it reaches an error (issue 16, defect 4). */
import { describe, expect, it } from 'vitest';
import { maskText, maskUrl } from '../../../src/backends/remote/mask.js';

describe('maskUrl', () => {
  it.each([
    ['https://api.example.com/v1/chat/completions', 'https://api.example.com/v1/chat/completions'],
    ['https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21', 'https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=***'],
    ['https://u:p@api.example.com/v1?a=1&b=&c', 'https://***@api.example.com/v1?a=***&b=***&***'],
    ['https://api.example.com/v1#frag', 'https://api.example.com/v1#***'],
    ['/api/v1?key=secret', '/api/v1?key=***'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe('maskText', () => {
  it('masks URLs, bearer tokens, credential headers and the values it is given', () => {
    const text = 'POST https://h/v1/chat/completions?key=abc: Authorization: Bearer sk-123456789, "x-api-key":"k-987654321" and team-secret-value-42.';
    const masked = maskText(text, ['team-secret-value-42']);
    expect(masked).toBe('POST https://h/v1/chat/completions?key=***: Authorization: ***, "x-api-key":"***" and ***.');
  });

  it('leaves words after "Basic" or "Bearer" alone, and masks tokens there', () => {
    expect(maskText('Basic authentication required; WWW-Authenticate: Bearer realm="api"')).toBe('Basic authentication required; WWW-Authenticate: Bearer realm="api"');
    expect(maskText('got bearer eyJhbGciOi.eyJzdWIi.sig and Basic dXNlcjpwYXNz==')).toBe('got bearer *** and Basic ***');
  });

  it('leaves short configured values alone: they are not credentials and would garble the text', () => {
    expect(maskText('the docs team', ['docs'])).toBe('the docs team');
  });
});
