/**
 * The privacy acceptance measurement: every corpus item goes through the PUBLIC API
 * (`createEngine` with a remote, policy `remote-only`) to a recording endpoint, once in
 * each place a request can carry text: the user message, the system prompt, a tool call's
 * arguments in the history, a tool result, and a `stop` sequence. An item counts as
 * hidden only when, in every one of those requests, neither its value (raw, JSON-escaped
 * or percent-encoded) appears anywhere in what arrived (URL, headers, body), nor any
 * 4+ character run of its letters and digits that the rest of the sentence lacks (so
 * `kevin.o'[EMAIL_1]` counts as a leak). Benign look-alikes must arrive unchanged.
 */
import { createEngine, type ChatMessage, type Engine, type GenerateRequest } from '../../../src/index.js';
import type { PiiItem } from '../../corpus/pii.js';
import { startRecorder, type Recorded, type Recorder } from './recorder.js';

export const POSITIONS = ['user', 'system', 'tool-argument', 'tool-result', 'stop'] as const;
export type Position = (typeof POSITIONS)[number];

export interface TypeRow {
  type: string;
  items: number;
  hidden: number;
  /** Percent of items hidden in every position. */
  recall: number;
}
export interface Leak {
  type: string;
  value: string;
  position: Position;
  sent: string;
}
export interface CorpusMeasurement {
  rows: TypeRow[];
  total: TypeRow;
  leaks: Leak[];
  benign: { items: number; changed: number; rate: number; examples: { text: string; sent: string }[] };
  requests: number;
  ms: number;
}

const TOOL = { name: 'lookup', description: 'Looks a note up.', parameters: { type: 'object', properties: { note: { type: 'string' } } } } as const;

function requestFor(text: string, position: Position): GenerateRequest {
  const ask: ChatMessage = { role: 'user', content: 'Summarise what you know.' };
  switch (position) {
    case 'user': return { messages: [{ role: 'user', content: text }] };
    case 'system': return { messages: [{ role: 'system', content: text }, ask] };
    case 'tool-argument': return { messages: [ask, { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { note: text } }] }, { role: 'tool', toolCallId: 'c1', content: 'noted' }], tools: [TOOL] };
    case 'tool-result': return { messages: [ask, { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { note: 'latest' } }] }, { role: 'tool', toolCallId: 'c1', content: text }], tools: [TOOL] };
    case 'stop': return { messages: [ask], stop: [text] };
  }
}

interface WireMessage { role: string; content: string | null; tool_calls?: { function: { arguments: string } }[] }

/** The text of `position` as it arrived. */
function sentText(rec: Recorded, position: Position): string {
  const body = JSON.parse(rec.body) as { messages: WireMessage[]; stop?: string[] };
  const m = body.messages;
  switch (position) {
    case 'user': return m[0]?.content ?? '';
    case 'system': return m[0]?.content ?? '';
    case 'tool-argument': return String((JSON.parse(m[1]?.tool_calls?.[0]?.function.arguments ?? '{}') as { note?: unknown }).note ?? '');
    case 'tool-result': return m[2]?.content ?? '';
    case 'stop': return body.stop?.[0] ?? '';
  }
}

function runs(s: string): string[] {
  return s.split(/[^\p{L}\p{N}]+/u).filter((r) => r.length >= 4);
}

/** Why `item` leaked in this request, or undefined when it did not. */
function leaked(item: PiiItem, rec: Recorded, sent: string): boolean {
  const everything = `${rec.url}\n${JSON.stringify(rec.headers)}\n${rec.body}`;
  const forms = [item.value, JSON.stringify(item.value).slice(1, -1), encodeURIComponent(item.value)];
  if (forms.some((f) => everything.includes(f))) return true;
  const rest = item.context.replace(item.value, ' ');
  return runs(item.value).some((r) => !rest.includes(r) && sent.includes(r));
}

async function send(engine: Engine, rec: Recorder, text: string, position: Position): Promise<Recorded> {
  const before = rec.requests.length;
  for await (const part of engine.generate(requestFor(text, position))) void part;
  const got = rec.requests[before];
  if (got === undefined || rec.requests.length !== before + 1) throw new Error(`expected one request for ${position}, got ${rec.requests.length - before}`);
  return got;
}

export async function measureCorpus(corpus: readonly PiiItem[], benign: readonly string[]): Promise<CorpusMeasurement> {
  const t0 = performance.now();
  const rec = await startRecorder();
  try {
    // A fresh engine per request: an engine remembers the values it hid and hides them in
    // later requests too, which would let one position's find cover another's miss.
    const fresh = (): Engine => createEngine({ remote: { baseURL: rec.baseURL, model: 'rec', maxRetries: 0 }, policy: 'remote-only' });
    const byType = new Map<string, TypeRow>();
    const leaks: Leak[] = [];
    for (const item of corpus) {
      const row = byType.get(item.type) ?? { type: item.type, items: 0, hidden: 0, recall: 0 };
      byType.set(item.type, row);
      row.items++;
      let hidden = true;
      for (const position of POSITIONS) {
        const got = await send(fresh(), rec, item.context, position);
        const sent = sentText(got, position);
        if (leaked(item, got, sent)) {
          hidden = false;
          leaks.push({ type: item.type, value: item.value, position, sent });
        }
      }
      if (hidden) row.hidden++;
    }
    const examples: { text: string; sent: string }[] = [];
    for (const text of benign) {
      const sent = sentText(await send(fresh(), rec, text, 'user'), 'user');
      if (sent !== text) examples.push({ text, sent });
    }
    const rows = [...byType.values()].map((r) => ({ ...r, recall: pct(r.hidden, r.items) }));
    const items = rows.reduce((a, r) => a + r.items, 0);
    const hidden = rows.reduce((a, r) => a + r.hidden, 0);
    return {
      rows,
      total: { type: 'all', items, hidden, recall: pct(hidden, items) },
      leaks,
      benign: { items: benign.length, changed: examples.length, rate: pct(examples.length, benign.length), examples },
      requests: rec.requests.length,
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    await rec.close();
  }
}

function pct(n: number, of: number): number {
  return of === 0 ? 0 : Math.round((n / of) * 10000) / 100;
}

/** The per-type table as Markdown (the bench and the README print it). */
export function corpusTable(m: CorpusMeasurement): string {
  const lines = ['| type | items | hidden everywhere | recall |', '|---|---:|---:|---:|'];
  for (const r of [...m.rows, m.total]) lines.push(`| ${r.type} | ${r.items} | ${r.hidden} | ${r.recall.toFixed(2)}% |`);
  const byPosition = POSITIONS.map((p) => `${p} ${m.leaks.filter((l) => l.position === p).length}`).join(', ');
  lines.push(`| leaks by position | | | ${byPosition} |`);
  lines.push(`| benign look-alikes changed | ${m.benign.items} | ${m.benign.changed} | ${m.benign.rate.toFixed(2)}% false positives |`);
  return lines.join('\n');
}
