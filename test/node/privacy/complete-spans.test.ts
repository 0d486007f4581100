/**
 * Issue 16: the literal pass runs in the worker beside detection (the page then only
 * numbers the complete spans it gets back), and that must change nothing a request
 * sends. Each case redacts the same requests three ways: the session's pass as it was
 * written before the move (a frozen copy below), the session's pass on the page today,
 * and the worker's complete spans (the worker's own code, on a structured clone of the
 * request as the boundary makes it); texts, counts and remembered values must be equal.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../../../src/backends/kind.js';
import { wrap } from '../../../src/backends/middleware.js';
import type { RedactOptions } from '../../../src/config-types.js';
import { EdgewiseError } from '../../../src/errors.js';
import { localFinder, type FoundSpans, type KnownValues } from '../../../src/privacy/finder.js';
import { literalMatcher } from '../../../src/privacy/literal-pass.js';
import { redaction } from '../../../src/privacy/middleware.js';
import { offloadFinder } from '../../../src/privacy/offload.js';
import { placeholderFor } from '../../../src/privacy/placeholder.js';
import { openSession } from '../../../src/privacy/session.js';
import { createValueMemory } from '../../../src/privacy/session-memory.js';
import type { Span } from '../../../src/privacy/span.js';
import { unpackSpans, type PackedSpans } from '../../../src/privacy/worker-spans.js';
import type { RedactionType } from '../../../src/route/vocab.js';
import type { Redactions } from '../../../src/types.js';
import { recordingRemote } from './recording-remote.js';
import type { WorkerHandle } from '../../../src/worker/handle.js';
import type { WorkerFindRequest } from '../../../src/worker/protocol.js';
import { findInWorker } from '../../../src/worker/redact-host.js';
import { INTL_IDS } from '../../corpus/national-ids.js';
import { NEAR_MISSES_SECRETS } from '../../corpus/near-misses-secrets.js';
import { NEAR_MISSES } from '../../corpus/near-misses.js';
import { mixedPaste } from '../../corpus/pastes.js';
import { PII_CORPUS, type PiiItem } from '../../corpus/pii.js';
import { SECRETS } from '../../corpus/secrets.js';
import { request } from '../remote/helpers.js';

const CONFIG: WorkerConfig = { cache: false, eviction: 'none', numThreads: 1, assetsUrl: 'http://localhost/', device: 'wasm', wasmWeights: 'auto' };
const OPTIONS: RedactOptions = { terms: ['Project Falcon'], patterns: [/EMP-\d{6}/] };

interface Redacted {
  texts: string[];
  counts: Redactions;
  values: [string, RedactionType][];
}

/** The session's redactTexts as it was before the pass moved (commit 4fbe1df), less the look-alike bookkeeping, which only the restorer reads. */
function before(texts: readonly string[], found: readonly (readonly Span[])[], known: KnownValues): Redacted {
  const remembered = new Map(known);
  const placeholders = new Map<string, string>();
  const issued = new Map<RedactionType, number>();
  const counts: Redactions = {};
  const values: [string, RedactionType][] = [];
  const placeholderOf = (value: string, type: RedactionType, counted: boolean): string => {
    const had = placeholders.get(value);
    if (had !== undefined) return had;
    const n = (issued.get(type) ?? 0) + 1;
    issued.set(type, n);
    placeholders.set(value, placeholderFor(type, n));
    if (counted) {
      counts[type] = (counts[type] ?? 0) + 1;
      values.push([value, type]);
    }
    return placeholderFor(type, n);
  };
  const detected = new Map<string, Span>();
  texts.forEach((text, i) => {
    for (const s of found[i] ?? []) if (!detected.has(text.slice(s.start, s.end))) detected.set(text.slice(s.start, s.end), s);
  });
  const matcher = literalMatcher([...detected.keys(), ...remembered.keys()]);
  const numbered = (value: string): string => {
    const span = detected.get(value);
    return span ? placeholderOf(value, span.type, span.counted) : placeholderOf(value, remembered.get(value) as RedactionType, true);
  };
  const out = texts.map((text, i) => {
    const spans = found[i] ?? [];
    const all = [...spans.map((s) => ({ start: s.start, end: s.end, value: text.slice(s.start, s.end) })), ...matcher.matches(text, spans)].sort((a, b) => a.start - b.start);
    let s = '';
    let at = 0;
    for (const r of all) {
      s += text.slice(at, r.start) + numbered(r.value);
      at = r.end;
    }
    return s + text.slice(at);
  });
  return { texts: out, counts, values };
}

/** The worker's answer as the page gets it: request and answer through a structured clone. */
async function inWorker(texts: readonly string[], known: KnownValues): Promise<FoundSpans> {
  const r: WorkerFindRequest = structuredClone({ texts, options: OPTIONS, known, config: CONFIG, requestId: 1 });
  return unpackSpans(structuredClone(await findInWorker(r, new AbortController().signal)));
}

/** One request, the three ways; `known` as the middleware's memory would hold it. */
async function threeWays(texts: readonly string[], known: KnownValues): Promise<Redacted[]> {
  const detected = await localFinder(OPTIONS)(texts);
  const page = openSession(OPTIONS, known);
  const pageTexts = page.redactTexts(texts, detected);
  const worker = openSession(OPTIONS, known);
  const found = await inWorker(texts, worker.known());
  expect(found.complete).toBe(true);
  const workerTexts = worker.redactTexts(texts, found);
  return [
    before(texts, detected.spans, known),
    { texts: pageTexts, counts: page.counts(), values: page.values() },
    { texts: workerTexts, counts: worker.counts(), values: worker.values() },
  ];
}

/** Requests of eight texts each, the last echoing the chunk's values in wrappers no detector reads; memory carried from request to request. */
async function expectSameOverCorpus(items: readonly { value?: string; context: string }[]): Promise<number> {
  const memory = createValueMemory();
  let redacted = 0;
  for (let i = 0; i < items.length; i += 8) {
    const chunk = items.slice(i, i + 8);
    const echo = chunk.flatMap((x) => (x.value ? [`(tel:${x.value})`, `_${x.value}_`] : [])).join(' ');
    const texts = [...chunk.map((x) => x.context), `Again: ${echo} and Project Falcon, EMP-123456.`];
    const known = [...memory.entries()];
    const [reference, page, worker] = await threeWays(texts, known);
    expect(page).toEqual(reference);
    expect(worker).toEqual(reference);
    memory.remember(reference!.values);
    redacted += reference!.values.length;
  }
  return redacted;
}

const corpus = (list: readonly PiiItem[]): { value: string; context: string }[] => list.map((x) => ({ value: x.value, context: x.context }));

describe('complete spans from the worker redact exactly as the page did', () => {
  it.each([
    ['PII corpus', corpus(PII_CORPUS)],
    ['international IDs', corpus(INTL_IDS)],
    ['secrets', corpus(SECRETS)],
    ['near misses', NEAR_MISSES.map((x) => ({ context: x.text }))],
    ['secret near misses', NEAR_MISSES_SECRETS.map((x) => ({ context: x.text }))],
  ])('%s', async (_name, items) => {
    const values = await expectSameOverCorpus(items);
    if (items.some((x) => 'value' in x)) expect(values).toBeGreaterThan(items.length / 2);
  });

  it('a 200 KB mixed paste, with a follow-up message that repeats its values and remembered ones', async () => {
    const paste = mixedPaste(200_000);
    const known: KnownValues = [['user1@example.com', 'email'], ['not in the paste 4711', 'pattern'], ['Customer 12', 'term']];
    const texts = [paste, 'Earlier you wrote to user7@example.com and +44 20 7946 0007 (Customer 12).', `Quote: ${paste.slice(1000, 3000)}`];
    const [reference, page, worker] = await threeWays(texts, known);
    expect(reference!.values.length).toBeGreaterThan(3000);
    expect(page).toEqual(reference);
    expect(worker).toEqual(reference);
  });

  it('the spans are non-overlapping, in text order, and typed alike for one value', async () => {
    const texts = [mixedPaste(20_000), 'mail user3@example.com (tel:+44 20 7946 0006)'];
    const { spans } = await inWorker(texts, [['Refund', 'term']]);
    const types = new Map<string, string>();
    spans.forEach((list, i) => {
      list.forEach((s, k) => {
        expect(s.end).toBeGreaterThan(s.start);
        if (k > 0) expect(s.start).toBeGreaterThanOrEqual(list[k - 1]!.end);
        const value = texts[i]!.slice(s.start, s.end);
        const kind = `${s.type}/${s.counted}`;
        expect(types.get(value) ?? kind).toBe(kind);
        types.set(value, kind);
      });
    });
    expect(types.get('Refund')).toBe('term/true');
  });
});

type Behaviour = 'run' | 'crash';

/** A fake worker handle that runs the worker's detection code on a clone of the request, or crashes. */
function fakeWorker(behaviour: Behaviour) {
  const requests: WorkerFindRequest[] = [];
  const handle = {
    running: () => undefined,
    request<T>(op: (c: unknown, id: number) => Promise<T>): Promise<T> {
      const api = {
        findSpans(r: WorkerFindRequest): Promise<PackedSpans> {
          requests.push(structuredClone(r));
          if (behaviour === 'crash') return Promise.reject(new EdgewiseError('worker_crashed', 'The inference worker stopped.'));
          return findInWorker(structuredClone(r), new AbortController().signal).then((p) => structuredClone(p));
        },
      };
      return op({ api }, 1);
    },
  };
  return { handle: () => handle as unknown as WorkerHandle, requests };
}

/** The middleware around a remote that records what it was sent, with every input offloaded (`minChars: 0`) to `worker`. */
function middlewareOver(worker: ReturnType<typeof fakeWorker>) {
  const { backend: remote, sent } = recordingRemote();
  const backend = wrap(remote, redaction(OPTIONS, () => offloadFinder(OPTIONS, { handle: worker.handle, config: CONFIG, minChars: 0 })));
  const send = async (content: string): Promise<string> => {
    for await (const _ of backend.generate?.(request({ messages: [{ role: 'user', content }] })) ?? []) { /* read to the end */ }
    return sent.at(-1)?.messages?.[0]?.content ?? '';
  };
  return { send };
}

describe('through the middleware and the worker path', () => {
  const withWorker = async (run: () => Promise<void>): Promise<void> => {
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = class {};
    try {
      await run();
    } finally {
      (globalThis as { Worker?: unknown }).Worker = saved;
    }
  };

  it('a value remembered from an earlier request is hidden again where no detector sees it, by the worker', () => withWorker(async () => {
    const worker = fakeWorker('run');
    const { send } = middlewareOver(worker);
    expect(await send('Phone: 02079460958')).toBe('Phone: [PHONE_1]');
    // A bare run of digits is a phone number only after a label: no detector reads this one, the remembered value does.
    expect(await send('ticket 02079460958 closed')).toBe('ticket [PHONE_1] closed');
    expect(worker.requests[1]!.known).toEqual([['02079460958', 'phone']]);
  }));

  it('a dead worker falls back to the page, whose own pass hides the remembered value the same way', () => withWorker(async () => {
    const running = fakeWorker('run');
    const crashed = fakeWorker('crash');
    const a = middlewareOver(running);
    const b = middlewareOver(crashed);
    const first = 'Phone: 02079460958, mail jane@example.com. Project Falcon, EMP-123456.';
    const second = `As before: ticket 02079460958, <jane@example.com>. ${mixedPaste(4_000)}`;
    expect(await b.send(first)).toBe(await a.send(first));
    const out = await b.send(second);
    expect(out).toBe(await a.send(second));
    expect(crashed.requests).toHaveLength(2);
    expect(out).not.toContain('02079460958');
    expect(out).not.toContain('jane@');
  }));
});
