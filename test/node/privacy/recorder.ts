/**
 * A recording OpenAI-compatible endpoint on 127.0.0.1: it keeps every request exactly as
 * it arrived (the URL with its query, every header, the raw body bytes as text) and
 * answers with a short SSE stream, or with the `reply` the test sets. The corpus
 * measurement looks for personal data in what it recorded, not in what the SDK meant to
 * send.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Recorder {
  /** `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  requests: Recorded[];
  /** The text the next answers stream (split into chunks of `chunk` characters). */
  reply: { text: string; chunk: number };
  close(): Promise<void>;
}

function sse(res: ServerResponse, text: string, chunk: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: 'rec-1', object: 'chat.completion.chunk', created: 1700000000, model: 'rec' };
  for (let i = 0; i < text.length; i += chunk) {
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text.slice(i, i + chunk) }, finish_reason: null }] })}\n\n`);
  }
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function embeddings(res: ServerResponse, body: string): void {
  const input = (JSON.parse(body) as { input: string | string[] }).input;
  const n = Array.isArray(input) ? input.length : 1;
  const data = Array.from({ length: n }, (_, index) => ({ object: 'embedding', index, embedding: [1, 0, 0] }));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data, model: 'rec', usage: { prompt_tokens: n, total_tokens: n } }));
}

export async function startRecorder(): Promise<Recorder> {
  const requests: Recorded[] = [];
  const reply = { text: 'ok', chunk: 64 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body });
      if (req.url?.includes('/embeddings')) embeddings(res, body);
      else sse(res, reply.text, reply.chunk);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
