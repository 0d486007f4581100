/**
 * The bench's privacy table, in Node: the whole corpus through the public API to a
 * recording endpoint (test/node/privacy/measure.ts, the same measurement the acceptance
 * test asserts on). Prints one JSON object on stdout; run.mjs adds it to the results.
 */
import { NEAR_MISSES } from '../../corpus/near-misses.js';
import { NEAR_MISSES_SECRETS } from '../../corpus/near-misses-secrets.js';
import { PII_CORPUS } from '../../corpus/pii.js';
import { corpusTable, measureCorpus } from '../../node/privacy/measure.js';

const m = await measureCorpus(PII_CORPUS, [...NEAR_MISSES, ...NEAR_MISSES_SECRETS].map((n) => n.text));
process.stdout.write(`${JSON.stringify({ rows: m.rows, total: m.total, benign: { items: m.benign.items, changed: m.benign.changed, rate: m.benign.rate }, leaks: m.leaks.length, requests: m.requests, ms: m.ms, markdown: corpusTable(m) })}\n`);
