/**
 * What the Prompt-API face's browser tests import: the built face
 * (`/dist/edgewise.prompt-api.js`, which imports the core as `./edgewise.js`, the same
 * module the tests' `/dist/edgewise.js` is), typed by its source entry; and small helpers.
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { FIXTURE_URL, REMOTE_SERVER } from '../helpers.js';
import { chatCalls } from '../edge-cloud/remote-helpers.js';
import * as face from '/dist/edgewise.prompt-api.js';

export const { LanguageModel, createLanguageModel, configureLanguageModel, install, LanguageModelSession } = face;
export type Session = face.LanguageModelSession;

/** The generated fixture (context 256 tokens), in memory only. */
export const fixtureEngine = (id = 'tiny-llama'): Engine => createEngine({ model: { id, url: FIXTURE_URL, dtype: 'q4' }, cache: false });

/** The OpenAI-compatible test server, which answers "Echo: " + the last user message and logs every request. */
export const remoteEngine = (): Engine => createEngine({ remote: { baseURL: REMOTE_SERVER, model: 'test-model' }, policy: 'remote-only', redact: false });

/** The DOMException name (or error class name) of a rejection, for assertions. */
export const nameOf = (e: unknown): string => (e instanceof Error || e instanceof DOMException ? `${e.constructor.name}/${e.name}` : `not an error: ${String(e)}`);

/** The messages each chat request carried, from the test server's log. */
export async function sentMessages(): Promise<{ role: string; content: unknown; tool_call_id?: string }[][]> {
  const calls = await chatCalls();
  return calls.map((e) => (e.body as { messages?: { role: string; content: unknown; tool_call_id?: string }[] }).messages ?? []);
}

/** All the chunks of a stream, in order. */
export async function chunksOf(stream: ReadableStream<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of stream as unknown as AsyncIterable<string>) out.push(c);
  return out;
}
