import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import type { EmbedRequest } from '../../../src/backends/backend.js';
import { FakeSession, openFake } from './fake-session.js';

const request = (texts: string[], more: Partial<EmbedRequest> = {}): EmbedRequest => ({ texts, batchSize: 2, normalize: true, ...more });
const texts = ['the cat sat', 'a dog', 'the mat', 'dog ran', 'cat'];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEdgewiseError(e)) return e.code;
    throw e;
  }
  return 'resolved';
}

/** Resolves once `predicate` holds, checking after each macrotask. */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 0));
  expect(predicate()).toBe(true);
}

describe('memory', () => {
  it('disposes every tensor it feeds or receives, over many calls', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    for (let i = 0; i < 50; i++) await encoder.embed(request(texts, { pooling: i % 2 ? 'mean' : 'pooled' }));
    const all = session.allTensors();
    expect(all.length).toBe(50 * 3 * 4); // 3 batches × (3 feeds + 1 output)
    expect(all.filter((t) => t.location !== 'none')).toEqual([]);
  });

  it('disposes the feeds when the run fails, and says runtime_error', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    session.fail = new Error('out of memory in the wasm heap');
    expect(await codeOf(encoder.embed(request(texts)))).toBe('runtime_error');
    expect(session.allTensors().filter((t) => t.location !== 'none')).toEqual([]);
    expect((await encoder.embed(request(texts))).vectors).toHaveLength(5);
  });
});

describe('progress and abort', () => {
  it('calls onBatch with the texts done after each batch', async () => {
    const done: number[] = [];
    await (await openFake(new FakeSession())).embed(request(texts), { onBatch: (n) => done.push(n) });
    expect(done).toEqual([2, 4, 5]);
  });

  it('rejects typed, between batches, and runs no further batch', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    const ac = new AbortController();
    const p = encoder.embed(request(texts), { signal: ac.signal, onBatch: () => ac.abort() });
    expect(await codeOf(p)).toBe('aborted');
    expect(session.runs).toHaveLength(1);
  });

  it('rejects at once with an already-aborted signal, running nothing', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    expect(await codeOf(encoder.embed(request(texts), { signal: AbortSignal.abort() }))).toBe('aborted');
    expect(session.runs).toHaveLength(0);
  });

  it('walks away from a running batch: rejects now, drops its outputs when it lands, and the next call waits for it', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    let finish = (): void => undefined;
    session.hold = new Promise((r) => (finish = r));
    const ac = new AbortController();
    const p = encoder.embed(request(texts), { signal: ac.signal });
    await until(() => session.runs.length === 1);
    ac.abort(new Error('user left'));
    const error = await p.catch((e: unknown) => e);
    expect(isEdgewiseError(error) && error.code).toBe('aborted');
    expect(isEdgewiseError(error) && (error.cause as Error).message).toBe('user left');

    session.hold = undefined;
    const next = encoder.embed(request(['cat']));
    await new Promise((r) => setTimeout(r, 5));
    expect(session.runs).toHaveLength(1); // still waiting for the abandoned run
    finish();
    expect((await next).vectors).toHaveLength(1);
    expect(session.allTensors().filter((t) => t.location !== 'none')).toEqual([]);
  });
});

describe('release', () => {
  it('is fine twice, and later calls say disposed', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    await encoder.release();
    await encoder.release();
    expect(session.releases).toBe(1);
    expect(await codeOf(encoder.embed(request(texts)))).toBe('disposed');
  });

  it('waits for a run in flight before releasing the session', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    let finish = (): void => undefined;
    session.hold = new Promise((r) => (finish = r));
    const p = encoder.embed(request(['cat']));
    await until(() => session.runs.length === 1);
    const released = encoder.release();
    await new Promise((r) => setTimeout(r, 5));
    expect(session.releases).toBe(0);
    finish();
    await released;
    expect(session.releases).toBe(1);
    expect((await p).vectors).toHaveLength(1);
  });
});

describe('opening', () => {
  it('refuses a graph that wants inputs it cannot give, and releases the session', async () => {
    const session = new FakeSession({ inputs: ['input_ids', 'attention_mask', 'past_key_values.0.key'] });
    expect(await codeOf(openFake(session))).toBe('unsupported_model');
    expect(session.releases).toBe(1);
  });

  it('refuses a graph with no embedding output', async () => {
    expect(await codeOf(openFake(new FakeSession({ outputs: ['logits'] })))).toBe('unsupported_model');
  });
});
