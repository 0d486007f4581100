import { describe, expect, it } from 'vitest';
import { ESTIMATE_BYTES_PER_TOKEN, estimateLocalMs, estimatePromptTokens } from '../../../src/route/estimate.js';

describe('estimatePromptTokens', () => {
  it('is ceil(utf8Bytes / 6), and 0 for nothing', () => {
    expect(ESTIMATE_BYTES_PER_TOKEN).toBe(6);
    expect([0, 1, 6, 7, 12, 13].map(estimatePromptTokens)).toEqual([0, 1, 1, 2, 2, 3]);
    expect(estimatePromptTokens(-5)).toBe(0);
    expect(estimatePromptTokens(Number.NaN)).toBe(0);
  });

  // Bytes and real token counts measured with the GPT-2 and Llama tokenizers in
  // shared/models/ (the smaller of the two counts per text).
  it.each([
    ['README markdown', 13_497, 4326],
    ['TypeScript source', 3915, 1258],
    ['German prose', 257, 69],
    ['Chinese prose', 129, 63],
    ['JSON', 94, 43],
    ['English prose', 341, 85],
    ['English request', 196, 33],
  ])('under-counts %s (%i bytes, %i tokens), keeping it on the device', (_what, bytes, tokens) => {
    expect(estimatePromptTokens(bytes)).toBeLessThanOrEqual(tokens);
  });
});

describe('estimateLocalMs', () => {
  const speed = { prefillTokensPerSecond: 400, decodeTokensPerSecond: 16, samples: 3 };

  it('adds prefill of the prompt and decode of maxTokens', () => {
    expect(estimateLocalMs(800, 64, speed)).toBe(6000);
    expect(estimateLocalMs(0, 16, speed)).toBe(1000);
  });

  it('is undefined without samples or with a speed that is not positive', () => {
    expect(estimateLocalMs(800, 64, undefined)).toBeUndefined();
    expect(estimateLocalMs(800, 64, { ...speed, samples: 0 })).toBeUndefined();
    expect(estimateLocalMs(800, 64, { ...speed, prefillTokensPerSecond: 0 })).toBeUndefined();
    expect(estimateLocalMs(800, 64, { ...speed, decodeTokensPerSecond: Number.NaN })).toBeUndefined();
  });
});
