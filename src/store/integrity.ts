/** Checks on downloaded and stored bytes: file sha256, per-chunk checksums, HTML sniffing. */
import { createSHA256, createXXHash64, type IHasher } from 'hash-wasm';
import { EdgewiseError } from '../errors.js';

export type { IHasher };

let xxhash: Promise<IHasher> | undefined;

/** hash-wasm compiles WebAssembly; a strict CSP without 'wasm-unsafe-eval' forbids that. */
async function startHasher(create: () => Promise<IHasher>): Promise<IHasher> {
  try {
    return await create();
  } catch (e) {
    throw new EdgewiseError('runtime_error', `Could not start the WebAssembly hasher (${e instanceof Error ? e.message : String(e)}). If the page has a Content-Security-Policy, allow 'wasm-unsafe-eval'.`, { cause: e });
  }
}

/**
 * Checksum of one stored chunk (xxhash64, hex). Not a security check: it catches storage
 * corruption at several GB/s, so every cached read can afford it; sha256 guards the file.
 */
export async function chunkChecksum(bytes: Uint8Array): Promise<string> {
  xxhash ??= startHasher(() => createXXHash64());
  // A failed start is not cached, so a later call may try again.
  const h = await xxhash.catch((e: unknown) => { xxhash = undefined; throw e; });
  // init/update/digest run synchronously, so concurrent callers cannot interleave.
  return h.init().update(bytes).digest('hex');
}

/** True when a stored chunk is there, of the expected length, and matches its recorded checksum. */
export async function chunkIntact(bytes: Uint8Array | undefined, expected: number, sum: string | undefined): Promise<boolean> {
  return bytes !== undefined && bytes.length === expected && sum !== undefined && sameDigest(await chunkChecksum(bytes), sum);
}

/** A fresh incremental sha256 hasher (one per file, since files download in parallel). */
export async function createFileHasher(): Promise<IHasher> {
  const h = await startHasher(() => createSHA256());
  return h.init();
}

/** Lower-case hex sha256s compare equal regardless of how the caller spelled them. */
export function sameDigest(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Bytes of a body to look at before deciding it is an HTML page. */
export const SNIFF_BYTES = 64;

/** True for a `Content-Type` that announces a web page. */
export function isHtmlContentType(contentType: string | null): boolean {
  return contentType !== null && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

const HTML_STARTS = ['<!doctype', '<html', '<head', '<body'];

/**
 * True when a body starts like an HTML page. Static hosts and SPA fallbacks answer a
 * missing file with `index.html` and status 200, sometimes with a binary content type,
 * so the first bytes are the only reliable sign. A model file (ONNX protobuf, JSON,
 * safetensors, GGUF) never starts with `<`.
 */
export function looksLikeHtml(head: Uint8Array): boolean {
  let i = 0;
  // Skip a UTF-8 byte order mark and leading whitespace.
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const text = String.fromCharCode(...head.subarray(i, i + 9)).toLowerCase();
  return HTML_STARTS.some((start) => text.startsWith(start));
}
