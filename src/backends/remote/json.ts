/** JSON bodies of the OpenAI wire format, read without trusting them. */
import { protocolFailure } from './failure.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `what` names the payload in the error, e.g. `'a response'`. */
export function parseObject(text: string, url: string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw protocolFailure(url, `sent ${what} that is not JSON`, text);
  }
  if (!isObject(value)) throw protocolFailure(url, `sent ${what} that is not a JSON object`, text);
  return value;
}
