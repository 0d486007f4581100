/** A runner over recording fakes: local candidates in order, then the remote; the real router and failover walk. */
import type { BackendV3 } from '../../../src/backends/backend.js';
import type { CheckedEmbed } from '../../../src/embed/validate.js';
import { checkEmbed } from '../../../src/embed/validate.js';
import type { RunContext } from '../../../src/run/context.js';
import { runEmbed } from '../../../src/run/embed.js';
import { runGenerate } from '../../../src/run/generate.js';
import { StatsRecorder } from '../../../src/stats/stats.js';
import type { EmbeddingOptions, Embeddings, GenerateRequest, Part, Policy } from '../../../src/types.js';
import { checkRequest } from '../../../src/validate.js';
import { createRecordingBackend, type FakeScript, type RecordingBackend } from '../../fakes/recording-backend.js';

export const caps = { threads: false, cores: 2, storageManager: true, online: true };

export interface Setup {
  ctx: RunContext;
  candidates: BackendV3[];
  local: RecordingBackend | undefined;
  remote: RecordingBackend | undefined;
}

/** `locals`: more local candidates after the first, in order. */
export function setup(o: { local?: FakeScript | false; remote?: FakeScript | false; locals?: FakeScript[]; policy?: Policy } = {}): Setup {
  const local = o.local === false ? undefined : createRecordingBackend({ ranOn: 'wasm', ...o.local });
  const more = (o.locals ?? []).map((f) => createRecordingBackend(f));
  const remote = o.remote === false ? undefined : createRecordingBackend({ id: 'remote', location: 'remote', ranOn: 'remote', ...o.remote });
  const ctx: RunContext = { policy: o.policy ?? 'prefer-local', maxLocalLatencyMs: undefined, route: undefined, capabilities: async () => caps, stats: new StatsRecorder() };
  const candidates = [local, ...more, remote].filter((b): b is RecordingBackend => b !== undefined);
  return { ctx, candidates, local, remote };
}

export function generate(s: Setup, req: GenerateRequest): AsyncGenerator<Part> {
  return runGenerate(s.ctx, s.candidates, checkRequest(req, performance.timeOrigin + performance.now()), req, true);
}

export function embed(s: Setup, texts: string[], o?: EmbeddingOptions): Promise<Embeddings> {
  const c: CheckedEmbed = checkEmbed(texts, o);
  return runEmbed(s.ctx, s.candidates, c);
}

export async function collect(parts: AsyncIterable<Part>): Promise<{ parts: Part[]; error: unknown }> {
  const out: Part[] = [];
  try {
    for await (const p of parts) out.push(p);
  } catch (error) {
    return { parts: out, error };
  }
  return { parts: out, error: undefined };
}
