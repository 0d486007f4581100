/**
 * A bare HTTP server on 127.0.0.1 whose every answer a test writes itself, for what the
 * shared OpenAI test server cannot do: answer a redirect, serve under an Azure-style path
 * with a query, send a body of any size, or keep a stream open with comments forever.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  /** Path and query as sent, e.g. `/openai/deployments/d/chat/completions?api-version=2024-10-21`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Handler = (req: Received, res: ServerResponse) => void | Promise<void>;

export interface ScriptedServer {
  /** `http://127.0.0.1:{port}`, no trailing slash. */
  origin: string;
  received: Received[];
  /** Whether the client closed a connection before the answer ended. */
  closedEarly: () => boolean;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const piece of req) text += String(piece);
  return text;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const received: Received[] = [];
  let handler: Handler = (_req, res) => { res.writeHead(404).end(); };
  let closedEarly = false;
  const server = createServer((req, res) => {
    res.once('close', () => { if (!res.writableEnded) closedEarly = true; });
    void readBody(req).then(async (body) => {
      const entry: Received = { method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body };
      received.push(entry);
      await handler(entry, res);
    }).catch(() => res.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    closedEarly: () => closedEarly,
    handle: (h) => {
      handler = h;
      received.length = 0;
      closedEarly = false;
    },
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** A well-formed non-streamed completion whose text is `text`. */
export function completionJson(text: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
}

/** One SSE chunk carrying `text`. */
export const sseChunk = (text: string): string => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

/** Writes `write()` every `everyMs` until the client goes away (a stream that never ends by itself). */
export function forever(res: ServerResponse, everyMs: number, write: (n: number) => string): void {
  let n = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(write(n++));
  }, everyMs);
  res.once('close', () => clearInterval(timer));
}
