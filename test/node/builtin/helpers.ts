/** Requests and collection for the built-in backend's tests (against the recording fake of the Prompt API). */
import type { BackendFinishPart, BackendPart, BackendRequest } from '../../../src/backends/backend.js';
import { createBuiltinBackend, type BuiltinBackend } from '../../../src/backends/builtin/index.js';
import type { BuiltinModelSpec } from '../../../src/config-types.js';
import { createFakeLanguageModel, type FakeLanguageModel, type FakeLanguageModelScript } from '../../fakes/fake-language-model.js';

export const now = (): number => performance.timeOrigin + performance.now();

export function request(over: Partial<BackendRequest> = {}): BackendRequest {
  const base: BackendRequest = {
    maxTokens: 256, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
    stop: [], includeTokenIds: false, startedAt: now(),
  };
  return { ...base, ...(over.messages === undefined && over.prompt === undefined ? { prompt: 'Hi' } : {}), ...over };
}

export async function collect(parts: AsyncIterable<BackendPart>): Promise<{ parts: BackendPart[]; text: string; finish: BackendFinishPart }> {
  const out: BackendPart[] = [];
  for await (const p of parts) out.push(p);
  const finish = out.at(-1);
  if (finish?.type !== 'finish') throw new Error('the stream did not end with a finish part');
  return { parts: out, text: out.map((p) => (p.type === 'text' ? p.text : '')).join(''), finish };
}

/** A backend over a fresh recording fake of the Prompt API. */
export function setup(script: FakeLanguageModelScript = {}, spec: Partial<BuiltinModelSpec> = {}): { fake: FakeLanguageModel; backend: BuiltinBackend } {
  const fake = createFakeLanguageModel(script);
  const backend = createBuiltinBackend({ engine: 'builtin', ...spec }, { languageModel: fake.LanguageModel });
  return { fake, backend };
}

/** Caught error's code, or a description of what happened instead. */
export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'no error';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : `untyped ${String(e)}`;
  }
}
