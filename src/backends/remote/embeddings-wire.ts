/**
 * The OpenAI embeddings wire format, both ways. Strict on reading: a vector that is
 * missing, duplicated, the wrong length or not finite would silently spoil every
 * similarity computed from it, so any of these is a protocol error.
 */
import { protocolFailure, type RemoteFailure } from './failure.js';
import { inBandFailure } from './http-errors.js';
import { isObject, parseObject } from './json.js';

export interface EmbeddingsBody {
  model: string;
  input: string[];
  /** Asked for, yet some servers send base64 anyway (the official client's default), so both are read. */
  encoding_format: 'float';
}

export function embeddingsBody(model: string, input: readonly string[]): EmbeddingsBody {
  return { model, input: [...input], encoding_format: 'float' };
}

export interface EmbeddingsReading {
  /** In input order, whatever order the server listed them in. */
  vectors: Float32Array[];
  /** 0 when the server sent no `usage` (some local servers do not count). */
  promptTokens: number;
}

/** Little-endian float32, as OpenAI encodes `encoding_format: 'base64'`; undefined when it is not. */
function decodeBase64(text: string): Float32Array | undefined {
  let bytes: string;
  try {
    bytes = atob(text);
  } catch {
    return undefined;
  }
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(new ArrayBuffer(bytes.length));
  for (let i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function vectorOf(embedding: unknown): Float32Array | undefined {
  if (typeof embedding === 'string') return decodeBase64(embedding);
  if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number')) return undefined;
  return Float32Array.from(embedding as number[]);
}

function promptTokensOf(usage: unknown, fail: (what: string) => RemoteFailure): number {
  if (usage === undefined || usage === null) return 0;
  const n = isObject(usage) ? usage.prompt_tokens : undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw fail('sent `usage` without a whole `prompt_tokens`');
  return n;
}

/**
 * The body of one embeddings answer for `count` inputs. `dims`, when known from an
 * earlier batch, is the length every vector must have.
 * @throws RemoteFailure `remote_protocol_error`, or the in-band `error` the server sent with 200.
 */
export function readEmbeddings(text: string, url: string, count: number, status: number, dims?: number): EmbeddingsReading {
  const payload = parseObject(text, url, 'an embeddings response');
  if (payload.error != null) throw inBandFailure(url, payload.error, status);
  const fail = (what: string): RemoteFailure => protocolFailure(url, what, text);
  const data = payload.data;
  if (!Array.isArray(data)) throw fail('sent an embeddings response without a `data` array');
  if (data.length !== count) throw fail(`sent ${data.length} embeddings for ${count} inputs`);
  const vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count).fill(undefined);
  let size = dims;
  for (const item of data) {
    if (!isObject(item)) throw fail('sent an embedding that is not an object');
    const { index } = item;
    // Servers may list the vectors in any order; `index` is the only link to the input.
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) throw fail(`sent an embedding whose \`index\` is ${JSON.stringify(index)}, not 0 to ${count - 1}`);
    if (vectors[index] !== undefined) throw fail(`sent two embeddings with index ${index}`);
    const vector = vectorOf(item.embedding);
    if (vector === undefined || vector.length === 0) throw fail(`sent embedding ${index} that is neither an array of numbers nor base64 float32`);
    if (!vector.every(Number.isFinite)) throw fail(`sent embedding ${index} with a value that is not a finite number`);
    size ??= vector.length;
    if (vector.length !== size) throw fail(`sent embedding ${index} of ${vector.length} dimensions where the others have ${size}`);
    vectors[index] = vector;
  }
  // Count and distinct in-range indexes already imply that every slot is filled.
  return { vectors: vectors as Float32Array[], promptTokens: promptTokensOf(payload.usage, fail) };
}
