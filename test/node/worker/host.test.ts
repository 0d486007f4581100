/**
 * The worker host over fake kinds (RECORDING FAKES standing for the ONNX and web-llm
 * kinds, injected through the host's registry parameter): one model per role, requests
 * one at a time, an abort in the queue settles at once stamped with where that model
 * runs, unloading one role keeps the other, and parts leave in batches.
 */
import { describe, expect, it } from 'vitest';
import type { BackendPart, BackendV3 } from '../../../src/backends/backend.js';
import type { WorkerKind } from '../../../src/backends/kind.js';
import type { ResolvedWorkerModel } from '../../../src/model/spec.js';
import { createHost } from '../../../src/worker/host.js';
import type { WorkerLoadOptions } from '../../../src/worker/protocol.js';
import { createRecordingBackend, type RecordingBackend } from '../../fakes/recording-backend.js';

const made: { model: string; role: string; backend: RecordingBackend }[] = [];
const fakeKind = (ranOn: 'webgpu' | 'wasm'): WorkerKind => ({
  create(model, _config, role): BackendV3 {
    const backend = createRecordingBackend({ ranOn, embeds: role === 'embed', chunks: Array.from({ length: 40 }, (_, i) => `t${i} `), stepMs: 2 });
    made.push({ model: model.key, role, backend });
    return backend;
  },
});

const model = (key: string, engine = 'gpu'): ResolvedWorkerModel => ({ engine, id: key, key, url: 'http://x/', dtype: 'q4', sha256: {} }) as unknown as ResolvedWorkerModel;
let ids = 1;
const opts = (): WorkerLoadOptions => ({ requestId: ids++, cache: false, eviction: 'none', numThreads: 1, assetsUrl: 'http://x/' });
const request = (prompt: string) => ({ prompt, maxTokens: 40, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1, stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(), requestId: ids++ });

function host() {
  made.length = 0;
  return createHost({ gpu: fakeKind('webgpu'), cpu: fakeKind('wasm') });
}

describe('worker host', () => {
  it('a request aborted while queued settles at once with an abort finish stamped with the model\'s ranOn, and never runs', async () => {
    const h = host();
    await h.load('generate', model('m'), opts());
    const first = request('long');
    const batches: BackendPart[][] = [];
    const running = h.generate(first, (parts) => batches.push(parts));
    const queued = request('queued');
    const got: BackendPart[] = [];
    const waiting = h.generate(queued, (parts) => got.push(...parts));
    h.abort(queued.requestId);
    await waiting;
    expect(got).toMatchObject([{ type: 'finish', reason: 'abort', ranOn: 'webgpu' }]);
    await running;
    const backend = made[0]!.backend;
    expect(backend.calls.filter((c) => c.method === 'generate').map((c) => c.request?.prompt)).toEqual(['long']);
    // 40 text parts and a finish, in fewer messages than parts: batched, nothing lost or reordered.
    const all = batches.flat();
    expect(all.filter((p) => p.type === 'text').map((p) => p.type === 'text' && p.text)).toEqual(Array.from({ length: 40 }, (_, i) => `t${i} `));
    expect(all.at(-1)?.type).toBe('finish');
    expect(batches.length).toBeLessThan(all.length);
  });

  it('one model per role: unloading the generation model keeps the embedding model, which embeds without loading again', async () => {
    const h = host();
    await h.load('generate', model('gen'), opts());
    await h.load('embed', model('emb', 'cpu'), opts());
    await h.unload('generate');
    const r = await h.embed({ texts: ['a b', 'c'], batchSize: 2, normalize: false, requestId: ids++ });
    expect(r.vectors.map((v) => Array.from(v))).toEqual([[3, 1], [1, 0]]);
    const emb = made.find((m) => m.role === 'embed')!.backend;
    expect(emb.calls.map((c) => c.method)).toEqual(['load', 'embed']);
    expect(made.find((m) => m.role === 'generate')!.backend.calls.map((c) => c.method)).toEqual(['load', 'unload']);
  });

  it('loading another model for a role replaces the one it held; an unknown kind is a typed error', async () => {
    const h = host();
    await h.load('generate', model('a'), opts());
    await h.load('generate', model('b'), opts());
    expect(made.map((m) => [m.model, m.backend.calls.map((c) => c.method).join(',')])).toEqual([['a', 'load,unload'], ['b', 'load']]);
    await expect(h.load('generate', model('c', 'nope'), opts())).rejects.toMatchObject({ code: 'invalid_model_spec' });
  });
});
