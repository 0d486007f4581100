/**
 * Acceptance of issue 16: recall ≥ 99% on the pattern types and false positives ≤ 2%,
 * measured through the public API against a recording endpoint (see measure.ts), with
 * the value absent from every message, tool argument, tool result, `stop`, header and URL.
 */
import { describe, expect, it } from 'vitest';
import { NEAR_MISSES } from '../../corpus/near-misses.js';
import { NEAR_MISSES_SECRETS } from '../../corpus/near-misses-secrets.js';
import { PII_CORPUS } from '../../corpus/pii.js';
import { corpusTable, measureCorpus } from './measure.js';

describe('redaction through the public API, per corpus type', () => {
  it('hides ≥ 99% of every pattern type in every position and changes ≤ 2% of benign look-alikes', async () => {
    const m = await measureCorpus(PII_CORPUS, [...NEAR_MISSES, ...NEAR_MISSES_SECRETS].map((n) => n.text));
    console.log(`${corpusTable(m)}\n(${m.requests} recorded requests in ${m.ms} ms)`);
    for (const leak of m.leaks.slice(0, 40)) console.log(`leak ${leak.type} in ${leak.position}: ${JSON.stringify(leak.value)} → ${JSON.stringify(leak.sent)}`);
    for (const fp of m.benign.examples) console.log(`changed: ${JSON.stringify(fp.text)} → ${JSON.stringify(fp.sent)}`);
    expect(m.total.items).toBeGreaterThanOrEqual(400);
    expect(m.benign.items).toBeGreaterThanOrEqual(100);
    for (const row of m.rows) expect(row.recall, `${row.type}: ${row.hidden}/${row.items}`).toBeGreaterThanOrEqual(99);
    expect(m.benign.rate).toBeLessThanOrEqual(2);
  }, 120_000);
});
