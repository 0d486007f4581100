import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import type { EmbedRequest } from '../../../src/backends/backend.js';
import { FakeSession, openFake } from './fake-session.js';
import { CLS, SEP, id } from './helpers.js';

const request = (texts: string[], more: Partial<EmbedRequest> = {}): EmbedRequest => ({ texts, batchSize: 8, normalize: false, ...more });
const arrays = (vs: Float32Array[]): number[][] => vs.map((v) => Array.from(v));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEdgewiseError(e)) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('what the encoder feeds the graph', () => {
  it('int64 input_ids, attention_mask and zero token_type_ids, padded to the batch', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session);
    await encoder.embed(request(['the cat', 'dog']));
    const { feeds } = session.runs[0]!;
    expect(Object.keys(feeds).sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(feeds['input_ids']!.type).toBe('int64');
    expect(feeds['input_ids']!.dims).toEqual([2, 4]);
    expect(session.runs[0]!.fetches).toEqual(['sentence_embedding']);
  });

  it('leaves out token_type_ids when the graph has no such input', async () => {
    const session = new FakeSession({ inputs: ['input_ids', 'attention_mask'] });
    await (await openFake(session)).embed(request(['the cat']));
    expect(Object.keys(session.runs[0]!.feeds).sort()).toEqual(['attention_mask', 'input_ids']);
  });

  it('asks ORT only for the output the pooling reads', async () => {
    const session = new FakeSession();
    await (await openFake(session)).embed(request(['the cat'], { pooling: 'mean' }));
    expect(session.runs[0]!.fetches).toEqual(['last_hidden_state']);
  });
});

describe('pooling', () => {
  // 'the cat' → [CLS] the cat [SEP] = [2, 4, 5, 3]; 'dog .' → [2, 10, 12, 3]; 'a' → [2, 9, 3].
  it('mean averages the real token vectors [id, position, 1], padding excluded', async () => {
    const encoder = await openFake(new FakeSession());
    const { vectors } = await encoder.embed(request(['the cat', 'a'], { pooling: 'mean' }));
    expect(arrays(vectors)).toEqual([
      [(CLS + id('the') + id('cat') + SEP) / 4, (0 + 1 + 2 + 3) / 4, 1],
      [(CLS + id('a') + SEP) / 3, (0 + 1 + 2) / 3, 1].map(Math.fround),
    ]);
  });

  it('cls takes position 0', async () => {
    const { vectors } = await (await openFake(new FakeSession())).embed(request(['the cat', 'a'], { pooling: 'cls' }));
    expect(arrays(vectors)).toEqual([[CLS, 0, 1], [CLS, 0, 1]]);
  });

  it("pooled reads the model's sentence_embedding", async () => {
    const { vectors } = await (await openFake(new FakeSession())).embed(request(['the cat', 'a'], { pooling: 'pooled' }));
    expect(arrays(vectors)).toEqual([[2 + 4 + 5 + 3, 4], [2 + 9 + 3, 3]]);
  });

  it('defaults to sentence_embedding when the graph has it, else mean', async () => {
    const withPooled = await openFake(new FakeSession());
    expect([withPooled.hasPooledOutput, withPooled.defaultPooling, withPooled.dims]).toEqual([true, 'pooled', 2]);
    expect(arrays((await withPooled.embed(request(['a']))).vectors)).toEqual([[14, 3]]);
    const hiddenOnly = await openFake(new FakeSession({ outputs: ['last_hidden_state'] }));
    expect([hiddenOnly.hasPooledOutput, hiddenOnly.defaultPooling, hiddenOnly.dims]).toEqual([false, 'mean', 3]);
  });

  it("never defaults to BERT's pooler_output (an NSP head), but gives it when asked", async () => {
    const encoder = await openFake(new FakeSession({ outputs: ['last_hidden_state', 'pooler_output'] }));
    expect([encoder.hasPooledOutput, encoder.defaultPooling]).toEqual([true, 'mean']);
    expect(arrays((await encoder.embed(request(['a'], { pooling: 'pooled' }))).vectors)).toEqual([[14, 3]]);
  });

  it('token_embeddings (sentence-transformers) stands in for last_hidden_state', async () => {
    const session = new FakeSession({ outputs: ['token_embeddings', 'sentence_embedding'] });
    await (await openFake(session)).embed(request(['a'], { pooling: 'cls' }));
    expect(session.runs[0]!.fetches).toEqual(['token_embeddings']);
  });

  it('rejects pooled on a graph without a pooled output, and mean on one with only a pooled output, as invalid_request', async () => {
    expect(await codeOf((await openFake(new FakeSession({ outputs: ['last_hidden_state'] }))).embed(request(['a'], { pooling: 'pooled' })))).toBe('invalid_request');
    expect(await codeOf((await openFake(new FakeSession({ outputs: ['sentence_embedding'] }))).embed(request(['a'], { pooling: 'mean' })))).toBe('invalid_request');
  });

  it('normalize gives unit vectors', async () => {
    const { vectors } = await (await openFake(new FakeSession())).embed(request(['the cat'], { normalize: true, pooling: 'pooled' }));
    expect(Array.from(vectors[0]!)).toEqual([14 / Math.hypot(14, 4), 4 / Math.hypot(14, 4)].map(Math.fround));
  });
});

describe('results', () => {
  it('come back in input order whatever the batching', async () => {
    const texts = ['a', 'the cat sat on the mat', 'dog', 'the dog ran .', '', 'cat sat'];
    const encoder = await openFake(new FakeSession());
    const one = arrays((await encoder.embed(request(texts, { batchSize: 1 }))).vectors);
    for (const batchSize of [2, 3, 100]) expect(arrays((await encoder.embed(request(texts, { batchSize }))).vectors)).toEqual(one);
    expect(one.map((v) => v[1])).toEqual([3, 8, 3, 6, 2, 4]); // real-token counts, in input order
  });

  it('embed the empty string as [CLS] [SEP]', async () => {
    const { vectors } = await (await openFake(new FakeSession())).embed(request(['']));
    expect(arrays(vectors)).toEqual([[CLS + SEP, 2]]);
  });

  it('return [] for no texts without running the model', async () => {
    const session = new FakeSession();
    const result = await (await openFake(session)).embed(request([]));
    expect(result).toEqual({ vectors: [], truncated: [], promptTokens: 0 });
    expect(session.runs).toHaveLength(0);
  });

  it('count real tokens only in promptTokens', async () => {
    const { promptTokens } = await (await openFake(new FakeSession())).embed(request(['the cat sat on the mat', 'a'], { batchSize: 2 }));
    expect(promptTokens).toBe(8 + 3);
  });

  it('report which texts were cut at maxLength, keeping [SEP]', async () => {
    const session = new FakeSession();
    const encoder = await openFake(session, 4);
    expect(encoder.maxLength).toBe(4);
    const { truncated } = await encoder.embed(request(['the cat sat on', 'a', 'the dog ran .', 'the cat']));
    expect(truncated).toEqual([0, 2]);
    expect(session.runs[0]!.inputIds.slice(0, 4)).toEqual([CLS, id('the'), id('cat'), SEP]);
  });

  it('learn dims from one run when the graph leaves the width symbolic', async () => {
    const session = new FakeSession({ statedDims: false });
    const encoder = await openFake(session);
    expect(encoder.dims).toBe(2);
    expect(session.runs).toHaveLength(1);
  });
});
