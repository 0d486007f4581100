/**
 * Groups a request's parts into messages. A small model decodes a token in well under a
 * millisecond; one message per token (plus comlink's reply) floods the page's task
 * queue, and everything the page must handle promptly (another request's abort finish)
 * waits behind the backlog. Parts therefore leave at most every `windowMs`; the first
 * text part (time to first token) and the finish leave at once, and no part waits
 * longer than one decode step, since the next part or the finish flushes it.
 */
import type { BackendPart } from '../backends/backend.js';

export function partBatcher(send: (parts: BackendPart[]) => void, windowMs = 16): (part: BackendPart) => void {
  let buffer: BackendPart[] = [];
  let lastSent = -Infinity;
  let sentText = false;
  return (part) => {
    buffer.push(part);
    const t = performance.now();
    const first = part.type === 'text' && !sentText;
    if (part.type === 'finish' || first || t - lastSent >= windowMs) {
      if (part.type === 'text') sentText = true;
      send(buffer);
      buffer = [];
      lastSent = t;
    }
  };
}
