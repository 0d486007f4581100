/** Small shared pieces for the browser suites: assertions, model URLs, skips. */
// @ts-expect-error: virtual module served by the test runner config
import { MODEL_SERVER as SERVER, REMOTE_SERVER as REMOTE } from '/__env.js';

export const MODEL_SERVER: string = SERVER as string;
/** The OpenAI-compatible test server's base URL (ends in `/v1`). */
export const REMOTE_SERVER: string = REMOTE as string;
export const FIXTURE_URL = `${MODEL_SERVER}/fixtures/tiny-llama/`;
export const STORIES_URL = `${MODEL_SERVER}/shared/stories260K-onnx/`;

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual<T>(actual: T, expected: T, message: string): void {
  // JSON.stringify(undefined) is undefined, not a string: name it, or the message itself throws.
  const a = JSON.stringify(actual) ?? 'undefined';
  const e = JSON.stringify(expected) ?? 'undefined';
  if (a !== e) throw new Error(`${message}\n  expected: ${e.slice(0, 600)}\n  actual:   ${a.slice(0, 600)}`);
}

/** Resolves the rejection of `p`, failing if it resolves instead. */
export async function rejection(p: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** The shared real models live outside the repo; tests that need them skip when absent. */
export async function sharedModelsAvailable(): Promise<boolean> {
  const r = await fetch(`${STORIES_URL}config.json`, { method: 'HEAD' });
  return r.ok;
}

export async function resetServer(): Promise<void> {
  await fetch(`${MODEL_SERVER}/__ctl/reset`, { method: 'POST' });
}

export async function serverLog(): Promise<{ method: string; path: string; range: string | null; status: number }[]> {
  return (await fetch(`${MODEL_SERVER}/__ctl/log`)).json();
}
