/**
 * Response bytes to server-sent events, parsed by `eventsource-parser` (the WHATWG
 * algorithm: CRLF/CR/LF line ends, multi-line `data`, a BOM, comments). Comments such as
 * `: keep-alive` and blank events are skipped here, and they do not restart the idle
 * clock: only a data event is the server's progress (see `Watch`).
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { protocolFailure } from './failure.js';
import type { Watch } from './timeouts.js';

/** A single event larger than this is not a chat chunk; stop buffering it. */
const MAX_EVENT_CHARS = 1 << 20;
/** An event cut off before its blank line is a truncated stream, not a foreign body. */
const SSE_LINE = /^(?:data|event|id|retry)?:/m;

/**
 * The events of `body`, in order. Read errors (a dropped connection), timeouts and aborts
 * propagate as thrown by `watch.run`. Leaving the loop early cancels the body.
 * @throws RemoteFailure `remote_protocol_error` when the body is not an event stream.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>, watch: Watch, url: string): AsyncGenerator<EventSourceMessage, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  let recognised = false;
  let overflow = false;
  let sample = '';
  const parser = createParser({
    onEvent: (event) => {
      recognised = true;
      if (event.data.trim() === '') return;
      watch.progress();
      queue.push(event);
    },
    onComment: () => { recognised = true; },
    // Unknown fields and bad `retry` values are ignored, as the SSE spec says.
    onError: (e) => { if (e.type === 'max-buffer-size-exceeded') overflow = true; },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  try {
    for (;;) {
      const step = await watch.run(reader.read());
      const text = step.done ? decoder.decode() : decoder.decode(step.value, { stream: true });
      if (sample.length < 200) sample += text;
      if (text !== '') parser.feed(text);
      if (overflow) throw protocolFailure(url, `sent an event over ${MAX_EVENT_CHARS} characters`);
      for (let event = queue.shift(); event !== undefined; event = queue.shift()) yield event;
      if (step.done) break;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  // Bytes that never formed an event or a comment: an HTML page or plain text sent with 200.
  if (!recognised && sample.trim() !== '' && !SSE_LINE.test(sample)) throw protocolFailure(url, 'answered with a body that is not an event stream', sample);
}
