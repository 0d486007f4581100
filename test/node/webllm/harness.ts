/** The web-llm adapter over the recording fake engine, and a request to send it. */
import type { BackendPart, BackendRequest } from '../../../src/backends/backend.js';
import { createWebLLMBackend, type WebLLMBackend } from '../../../src/backends/webllm/index.js';
import type { WebLLMModelSpec } from '../../../src/config-types.js';
import { createFakeMLCModule, type FakeMLCModule, type FakeMLCScript } from '../../fakes/fake-mlc-engine.js';

/** A prebuilt id of web-llm 0.2.86 (the fake serves web-llm's real prebuilt list). */
export const MODEL_ID = 'SmolLM2-360M-Instruct-q4f16_1-MLC';

export function request(over: Partial<BackendRequest> = {}): BackendRequest {
  return {
    prompt: 'Once upon a time', maxTokens: 32, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1,
    stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now(), ...over,
  };
}

export function overFake(script: FakeMLCScript = {}, spec: Partial<WebLLMModelSpec> = {}): { backend: WebLLMBackend; mod: FakeMLCModule } {
  const mod = createFakeMLCModule(script);
  const backend = createWebLLMBackend({ engine: 'webllm', id: MODEL_ID, ...spec }, { loadModule: async () => mod });
  return { backend, mod };
}

export async function collect(parts: AsyncIterable<BackendPart>): Promise<BackendPart[]> {
  const out: BackendPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
