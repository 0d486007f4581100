/**
 * Documents that are not worth chunking: empty ones (nothing but whitespace) and binary
 * ones, judged from the first KB as `file(1)` and git do: a NUL byte, or mostly bytes that
 * are neither printable text nor valid UTF-8.
 */

const HEAD = 1024;
/** Share of control characters and invalid UTF-8 above which a head is not text (random bytes score ~0.5, text in a legacy code page ~0.05). */
const BINARY_SHARE = 0.3;

export type SkipReason = 'empty' | 'binary';

/** Control characters other than tab, newlines, vertical tab, form feed and escape (ANSI logs), and U+FFFD (what invalid UTF-8 decodes to). */
function unusual(code: number): boolean {
  if (code === 0xfffd) return true;
  if (code >= 0x20 && code !== 0x7f) return false;
  return !(code >= 0x09 && code <= 0x0d) && code !== 0x1b;
}

/** Whether a text head looks binary. */
export function binaryText(head: string): boolean {
  if (head.length === 0) return false;
  if (head.includes('\0')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) if (unusual(head.charCodeAt(i))) odd++;
  return odd / head.length > BINARY_SHARE;
}

/** Whether the head of a file looks binary (its bytes). */
export function binaryBytes(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return true;
  // `stream: true` holds back a character cut at the end of the KB instead of calling it invalid.
  return binaryText(new TextDecoder().decode(bytes, { stream: true }));
}

/**
 * Why a document is skipped, or undefined to index it. A Blob of whitespace only is found
 * empty later, when chunking it yields nothing (its text is never read whole).
 */
export async function sniff(text: string | Blob): Promise<SkipReason | undefined> {
  if (typeof text === 'string') {
    if (!/\S/.test(text)) return 'empty';
    return binaryText(text.slice(0, HEAD)) ? 'binary' : undefined;
  }
  if (text.size === 0) return 'empty';
  return binaryBytes(new Uint8Array(await text.slice(0, HEAD).arrayBuffer())) ? 'binary' : undefined;
}
