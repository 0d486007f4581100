/** A remote-location backend that records what the redaction middleware sent it and answers "ok". */
import type { BackendPart, BackendRequest, BackendV3, EmbedRequest } from '../../../src/backends/backend.js';

const FINISH: BackendPart = {
  type: 'finish', reason: 'stop', ranOn: 'remote',
  usage: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 },
};

export function recordingRemote(): { backend: BackendV3; sent: BackendRequest[]; embedded: EmbedRequest[] } {
  const sent: BackendRequest[] = [];
  const embedded: EmbedRequest[] = [];
  const backend: BackendV3 = {
    specificationVersion: 'v3', kind: 'recording', location: 'remote',
    capabilities: { sampling: ['stop'], responseFormats: [], tools: true },
    state: { ranOn: 'remote', loaded: true },
    supports: () => ({ ok: true }),
    load: async () => ({ ranOn: 'remote' }),
    async *generate(r) {
      sent.push(r);
      yield { type: 'text', text: 'ok' };
      yield FINISH;
    },
    embed: async (r) => {
      embedded.push(r);
      return { vectors: r.texts.map(() => new Float32Array(1)), truncated: [], promptTokens: 1, ranOn: 'remote' };
    },
    unload: async () => {},
  };
  return { backend, sent, embedded };
}
