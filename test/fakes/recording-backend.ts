/**
 * A recording fake Backend (no model, no worker): it streams scripted text, honours
 * aborts between steps, fails where the script says, and records every call. Used to
 * pin down the contract, the dispatcher's failover and the engine's routing in Node.
 */
import type { Backend, BackendInfo, BackendPart, BackendRequest, Support } from '../../src/backends/backend.js';
import { EdgewiseError, type EdgewiseErrorCode } from '../../src/errors.js';
import type { RanOn } from '../../src/types.js';

export interface FakeScript {
  id?: string;
  location?: 'local' | 'remote';
  ranOn?: RanOn;
  /** Text parts of each answer; default four. */
  chunks?: readonly string[];
  /** Delay before each part. Default 1 ms. */
  stepMs?: number;
  /** Fail every load with this code. */
  loadError?: EdgewiseErrorCode;
  /** Fail before the first part with this code. */
  failBeforeFirst?: EdgewiseErrorCode;
  /** Fail after this many text parts. */
  failAfter?: { parts: number; code: EdgewiseErrorCode };
  /** Requests whose prompt equals this string fail with `invalid_request`. */
  rejectPrompt?: string;
  contextLength?: number;
  supports?: Support;
  /** Answer `Echo: <last user message or prompt>` in 3-character parts (like the OpenAI test server). */
  echo?: boolean;
}

export interface FakeCall {
  method: 'load' | 'generate' | 'unload';
  request?: BackendRequest;
  at: number;
}

export interface RecordingBackend extends Backend {
  readonly calls: FakeCall[];
  script: FakeScript;
  readonly loaded: boolean;
  readonly loadError: EdgewiseError | undefined;
  readonly info: BackendInfo | undefined;
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

export function createRecordingBackend(initial: FakeScript = {}): RecordingBackend {
  const calls: FakeCall[] = [];
  let info: BackendInfo | undefined;
  let loadError: EdgewiseError | undefined;
  const self: RecordingBackend = {
    specificationVersion: 'v2',
    get id() { return self.script.id ?? 'fake'; },
    get location() { return self.script.location ?? 'local'; },
    calls,
    script: initial,
    get loaded() { return info !== undefined; },
    get loadError() { return loadError; },
    get info() { return info; },
    supports: () => self.script.supports ?? { ok: true },

    async load() {
      calls.push({ method: 'load', at: now() });
      if (self.script.loadError) {
        loadError = new EdgewiseError(self.script.loadError, `fake load failure (${self.script.loadError})`);
        throw loadError;
      }
      info = { ranOn: self.script.ranOn ?? 'wasm', ...(self.script.contextLength ? { contextLength: self.script.contextLength } : {}) };
      loadError = undefined;
      return info;
    },

    countTokens: async (r) => (info ? (r.prompt ?? (r.messages ?? []).map((m) => m.content).join(' ')).split(/\s+/).filter(Boolean).length : undefined),

    generate(request, o = {}) {
      calls.push({ method: 'generate', request, at: now() });
      const s = self.script;
      const ranOn = s.ranOn ?? 'wasm';
      async function* run(): AsyncGenerator<BackendPart> {
        const finish = (reason: 'stop' | 'abort', completionTokens: number): BackendPart => ({
          type: 'finish', reason, ranOn,
          usage: { promptTokens: 3, completionTokens, timeToFirstTokenMs: 1, tokensPerSecond: 100, totalMs: now() - request.startedAt },
        });
        if (request.prompt !== undefined && request.prompt === s.rejectPrompt) throw new EdgewiseError('invalid_request', 'the fake refuses this prompt');
        if (s.failBeforeFirst) throw new EdgewiseError(s.failBeforeFirst, `fake failure before the first token (${s.failBeforeFirst})`);
        const said = request.prompt ?? request.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
        const chunks = s.echo ? (`Echo: ${said}`.match(/[\s\S]{1,3}/g) ?? []) : (s.chunks ?? ['Hello', ', ', 'world', '!']);
        let sent = 0;
        for (const text of chunks) {
          await sleep(s.stepMs ?? 1);
          if (o.signal?.aborted) {
            yield finish('abort', sent);
            return;
          }
          if (s.failAfter && sent === s.failAfter.parts) throw new EdgewiseError(s.failAfter.code, `fake failure after ${sent} parts`);
          sent++;
          yield { type: 'text', text };
        }
        yield finish('stop', sent);
      }
      return run();
    },

    async unload() {
      calls.push({ method: 'unload', at: now() });
      info = undefined;
    },
  };
  return self;
}
