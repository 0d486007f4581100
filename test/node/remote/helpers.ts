/** Shared by the remote backend tests: the OpenAI test server, a request, and stream collectors. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { BackendFinishPart, BackendPart, BackendRequest } from '../../../src/backends/backend.js';
import { EdgewiseError, isEdgewiseError } from '../../../src/errors.js';

export interface LogEntry {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: ChatBody | null;
  time: number;
  status: number;
  fault: string | null;
  chunks: number;
  dropped: boolean;
  closedEarly: boolean;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string | null; [other: string]: unknown }[];
  stream: boolean;
  stream_options?: { include_usage: boolean };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  [other: string]: unknown;
}

export type Style = 'openai' | 'vllm' | 'vllm-null' | 'ollama' | 'llamacpp';

export interface Fault {
  match: string;
  times?: number;
  method?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  dropAfterChunks?: number;
  endAfterChunks?: number;
  firstByteDelayMs?: number;
  headersDelayMs?: number;
  stallAfterChunks?: number;
  stallMs?: number;
  chunkDelayMs?: number;
  malformed?: boolean;
  errorEvent?: true | Record<string, unknown>;
  afterChunks?: number;
  style?: Style;
  comments?: boolean;
  chunkSize?: number;
  noUsage?: boolean;
  /** Embeddings: list the vectors in reverse order. */
  shuffle?: boolean;
  /** Embeddings: answer base64 whatever `encoding_format` asked. */
  base64?: boolean;
  /** Chat: answer with tool calls (`true`: one call of the request's first or chosen tool). */
  toolCalls?: true | { name?: string; arguments?: string | Record<string, unknown>; id?: string | null }[];
  /** Chat: tool-call names sent once (`whole`, the default), cut in pieces, or resent with every piece. */
  toolCallNames?: 'whole' | 'split' | 'repeat';
  /** Chat: cut tool-call fragments at seeded random sizes 1..8. */
  randomChunks?: number;
  /** Chat: answer 400 to response_format json_schema, as llama-server did before it knew it. */
  refuseJsonSchema?: boolean;
}

export interface OpenAIServer {
  /** Ends in `/v1`. */
  url: string;
  close(): Promise<void>;
  log(): LogEntry[];
  reset(): void;
  setFaults(faults: Fault[]): void;
}

// Plain .mjs without types: a variable specifier keeps tsc from asking for a declaration.
const serverModule = '../../server/openai-server.mjs';
export const { startOpenAIServer } = (await import(serverModule)) as { startOpenAIServer(o?: { port?: number }): Promise<OpenAIServer> };

/** One server per test file, reset before each test; returns a getter. */
export function useServer(): () => OpenAIServer {
  let server: OpenAIServer | undefined;
  beforeAll(async () => { server = await startOpenAIServer(); });
  afterAll(() => server?.close());
  beforeEach(() => server?.reset());
  return () => {
    if (!server) throw new Error('the server is not started');
    return server;
  };
}

export const now = (): number => performance.timeOrigin + performance.now();

export function request(overrides: Partial<BackendRequest> = {}): BackendRequest {
  return {
    messages: [{ role: 'user', content: 'hello there world' }],
    maxTokens: 64,
    temperature: 0,
    topK: 0,
    topP: 1,
    repetitionPenalty: 1,
    seed: 7,
    stop: [],
    includeTokenIds: false,
    startedAt: now(),
    ...overrides,
  };
}

export interface Collected {
  parts: BackendPart[];
  text: string;
  finish: BackendFinishPart;
}

/** Reads a stream to its end; checks the one-finish-last rule on the way. */
export async function collect(stream: AsyncIterable<BackendPart>): Promise<Collected> {
  const parts: BackendPart[] = [];
  for await (const part of stream) parts.push(part);
  const finishes = parts.filter((p): p is BackendFinishPart => p.type === 'finish');
  if (finishes.length !== 1 || parts.at(-1)?.type !== 'finish') throw new Error(`expected exactly one finish, last; got ${JSON.stringify(parts)}`);
  const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  return { parts, text, finish: finishes[0] as BackendFinishPart };
}

/** Reads a stream that must fail; returns the typed error and the parts before it. */
export async function collectError(stream: AsyncIterable<BackendPart>): Promise<{ error: EdgewiseError; parts: BackendPart[]; text: string }> {
  const parts: BackendPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (e) {
    if (!isEdgewiseError(e)) throw e;
    if (!(e instanceof EdgewiseError)) throw new Error('not our EdgewiseError class');
    return { error: e, parts, text: parts.map((p) => (p.type === 'text' ? p.text : '')).join('') };
  }
  throw new Error(`expected an error; got ${JSON.stringify(parts)}`);
}

/** A `sleep` dep that records each wait and returns at once. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => { waits.push(ms); return Promise.resolve(); } };
}

/** Polls until `check` is true (the server notices a closed socket a moment after the client). */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const chatPosts = (server: OpenAIServer): LogEntry[] => server.log().filter((e) => e.path === '/v1/chat/completions');

export const embeddingPosts = (server: OpenAIServer): LogEntry[] => server.log().filter((e) => e.path === '/v1/embeddings');

/** The inputs of a logged embeddings request. */
export const inputsOf = (entry: LogEntry | undefined): unknown => entry?.body?.input;

const repliesModule = '../../server/openai-replies.mjs';
const { embed: serverEmbed } = (await import(repliesModule)) as { embed(text: string): number[] };
/** The test server's deterministic unit vector for a text, as float32. */
export const serverVector = (text: string): Float32Array => Float32Array.from(serverEmbed(text));
