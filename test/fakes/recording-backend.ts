/**
 * A recording fake BackendV3 (no model, no worker): it streams scripted text, honours
 * aborts between steps, fails where the script says, and records every call. Used to
 * pin down the contract, the runner's failover and the engine's routing in Node, and as
 * the custom backend of the engine tests in Chromium.
 */
import type { BackendCapabilities, BackendPart, BackendRequest, BackendV3, EmbedRequest, EmbedResult, Support } from '../../src/backends/backend.js';
import { EdgewiseError, type EdgewiseErrorCode } from '../../src/errors.js';
import type { ModelInfo, RanOn, Warning } from '../../src/types.js';

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
  /** What it declares; default: every setting, no formats, no tools. */
  capabilities?: BackendCapabilities;
  /** Calls to make (as tool-call parts, arguments as JSON text) instead of text when the request has tools. */
  toolCalls?: readonly { name: string; arguments: string }[];
  /** Warnings to send before the text. */
  warnings?: readonly Warning[];
  weightBytes?: number;
  /** Embeds each text as [length, number of spaces]. */
  embeds?: boolean;
}

export interface FakeCall {
  method: 'load' | 'generate' | 'embed' | 'unload';
  request?: BackendRequest;
  embed?: EmbedRequest;
  at: number;
}

export interface RecordingBackend extends BackendV3 {
  readonly calls: FakeCall[];
  script: FakeScript;
  countTokens(request: Pick<BackendRequest, 'prompt' | 'messages'>): Promise<number | undefined>;
}

const ALL: BackendCapabilities = { sampling: ['temperature', 'topK', 'topP', 'repetitionPenalty', 'seed', 'stop', 'includeTokenIds'], responseFormats: [], tools: false };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

export function createRecordingBackend(initial: FakeScript = {}): RecordingBackend {
  const calls: FakeCall[] = [];
  let info: ModelInfo | undefined;
  let loadError: EdgewiseError | undefined;
  const self: RecordingBackend = {
    specificationVersion: 'v3',
    get kind() { return self.script.id ?? 'fake'; },
    get location() { return self.script.location ?? 'local'; },
    get capabilities() { return self.script.capabilities ?? ALL; },
    get state() {
      const s = self.script;
      return { ranOn: s.ranOn ?? 'wasm', loaded: info !== undefined, loadError, info, contextLength: s.contextLength, weightBytes: s.weightBytes };
    },
    calls,
    script: initial,
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
        const finish = (reason: 'stop' | 'abort' | 'tool-calls', completionTokens: number): BackendPart => ({
          type: 'finish', reason, ranOn,
          usage: { promptTokens: 3, completionTokens, timeToFirstTokenMs: 1, tokensPerSecond: 100, totalMs: now() - request.startedAt },
        });
        if (request.prompt !== undefined && request.prompt === s.rejectPrompt) throw new EdgewiseError('invalid_request', 'the fake refuses this prompt');
        if (s.failBeforeFirst) throw new EdgewiseError(s.failBeforeFirst, `fake failure before the first token (${s.failBeforeFirst})`);
        if (o.signal?.aborted) return yield finish('abort', 0);
        for (const warning of s.warnings ?? []) yield { type: 'warning', warning };
        if (s.toolCalls && request.tools?.length) {
          await sleep(s.stepMs ?? 1);
          if (o.signal?.aborted) return yield finish('abort', 0);
          for (const [i, c] of s.toolCalls.entries()) yield { type: 'tool-call', id: `call_${i + 1}`, name: c.name, arguments: c.arguments };
          return yield finish('tool-calls', s.toolCalls.length);
        }
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
  if (initial.embeds) {
    self.embed = async (request: EmbedRequest, o = {}): Promise<EmbedResult> => {
      calls.push({ method: 'embed', embed: request, at: now() });
      await sleep(self.script.stepMs ?? 1);
      if (o.signal?.aborted) throw new EdgewiseError('aborted', 'the fake embedding was aborted');
      if (self.script.failBeforeFirst) throw new EdgewiseError(self.script.failBeforeFirst, `fake embedding failure (${self.script.failBeforeFirst})`);
      const vectors = request.texts.map((t) => Float32Array.from([t.length, t.split(' ').length - 1]));
      return { vectors, truncated: [], promptTokens: request.texts.length, ranOn: self.script.ranOn ?? 'wasm' };
    };
  }
  return self;
}
