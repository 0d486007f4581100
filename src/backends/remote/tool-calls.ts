/**
 * Tool calls as the OpenAI wire sends them, made whole. Streamed, each chunk's
 * `delta.tool_calls` holds fragments `{ index, id?, type?, function: { name?, arguments? } }`
 * that may cut a name or a JSON argument string anywhere, with several calls interleaved
 * by `index`; they are joined per index and handed out, in index order, when the choice
 * finishes. Not streamed, `message.tool_calls` holds whole calls.
 *
 * Lenient where servers differ, strict where a difference would lose a call:
 * - OpenAI sends a name whole in a call's first fragment, and both the official SDK and the
 *   AI SDK keep it so; MiniMax through NVIDIA NIM and some GPT-5 deltas resend it whole in
 *   later fragments (NousResearch/hermes-agent#12230, open-webui/open-webui#22235), where
 *   joining would make `read_fileread_file`. Fragments are joined, unless they are all the
 *   same name resent: the request's tool names decide, else a repeat longer than one letter.
 * - Older Ollama releases sent streamed calls without `index` (ollama/ollama#7881), each
 *   whole and with an id: a fragment without `index` continues the call its `id` names,
 *   or starts a new one, or (no id) continues the last call.
 * - Some servers give a call no `id` (Ollama with gpt-oss, continuedev/continue#13235):
 *   it gets one from `newId`, so `tool` messages can answer it.
 * - Arguments as an object rather than JSON text (LiteLLM's Ollama path, BerriAI/litellm#37792)
 *   are serialized; no arguments at all is `{}` (a function without parameters).
 * - Arguments that are not valid JSON pass through as received: the engine validates
 *   every route alike and raises `invalid_output`.
 * - A `tool_calls` that is not an array, a fragment of the wrong shape, or a call that ends
 *   without a name is a `remote_protocol_error`: no guess would name the right function.
 */
import type { BackendToolCallPart } from '../backend.js';
import { protocolFailure } from './failure.js';
import { isObject } from './json.js';

interface Slot {
  index: number;
  id: string | undefined;
  /** The non-empty name fragments, as received. */
  names: string[];
  /** Undefined until some arguments arrive. */
  arguments: string | undefined;
}

/** A string field, where `null` (sent by some servers for "not in this fragment") means absent. */
function optionalString(holder: Record<string, unknown>, key: string, url: string, sample: string): string | undefined {
  const v = holder[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw protocolFailure(url, `sent a tool call whose \`${key}\` is not a string`, sample);
  return v;
}

interface Fragment {
  index: number | undefined;
  id: string | undefined;
  name: string | undefined;
  /** `whole` when the server sent an object (a complete value), else a piece of JSON text. */
  arguments: { text: string; whole: boolean } | undefined;
}

function readFragment(entry: unknown, url: string, sample: string): Fragment {
  if (!isObject(entry)) throw protocolFailure(url, 'sent a tool call that is not an object', sample);
  const index = entry.index;
  if (index !== undefined && index !== null && !(Number.isInteger(index) && (index as number) >= 0)) {
    throw protocolFailure(url, 'sent a tool call whose `index` is not an integer >= 0', sample);
  }
  const fn = entry.function;
  if (fn !== undefined && fn !== null && !isObject(fn)) throw protocolFailure(url, 'sent a tool call whose `function` is not an object', sample);
  let args: Fragment['arguments'];
  const raw = isObject(fn) ? fn.arguments : undefined;
  if (isObject(raw)) args = { text: JSON.stringify(raw), whole: true };
  else if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'string') throw protocolFailure(url, 'sent tool call `arguments` that are neither JSON text nor an object', sample);
    args = { text: raw, whole: false };
  }
  return {
    index: typeof index === 'number' ? index : undefined,
    id: optionalString(entry, 'id', url, sample),
    name: isObject(fn) ? optionalString(fn, 'name', url, sample) : undefined,
    arguments: args,
  };
}

/** Joined fragments, or the one name they all repeat (see the file comment). */
function nameOf(fragments: readonly string[], known: ReadonlySet<string>): string {
  const joined = fragments.join('');
  const first = fragments[0] ?? '';
  const repeated = fragments.length > 1 && fragments.every((f) => f === first);
  if (!repeated || known.has(joined)) return joined;
  if (known.has(first)) return first;
  return known.size === 0 && first.length > 1 ? first : joined;
}

function toPart(slot: Slot, url: string, newId: () => string, known: ReadonlySet<string>): BackendToolCallPart {
  if (slot.names.length === 0) throw protocolFailure(url, `ended tool call ${slot.index} without a function name`);
  const args = slot.arguments === undefined || slot.arguments === '' ? '{}' : slot.arguments;
  return { type: 'tool-call', id: slot.id ?? newId(), name: nameOf(slot.names, known), arguments: args };
}

function apply(slot: Slot, f: Fragment): void {
  if (f.id !== undefined && slot.id === undefined) slot.id = f.id;
  if (f.name !== undefined && f.name !== '') slot.names.push(f.name);
  if (f.arguments !== undefined) slot.arguments = f.arguments.whole ? f.arguments.text : (slot.arguments ?? '') + f.arguments.text;
}

/** Joins the streamed fragments of one choice's tool calls. */
export class ToolCallAssembler {
  readonly #slots = new Map<number, Slot>();
  readonly #url: string;
  readonly #newId: () => string;
  readonly #known: ReadonlySet<string>;
  #last: Slot | undefined;

  /** `newId` names a call the server sent without an id; `toolNames` are the request's tools. */
  constructor(url: string, newId: () => string, toolNames: readonly string[] = []) {
    this.#url = url;
    this.#newId = newId;
    this.#known = new Set(toolNames);
  }

  /** True while fragments wait for the choice to finish. */
  get pending(): boolean {
    return this.#slots.size > 0;
  }

  /** One chunk's `delta.tool_calls`; `null` and absent mean none. `sample` is the raw chunk, for errors. */
  add(deltas: unknown, sample: string): void {
    if (deltas === undefined || deltas === null) return;
    if (!Array.isArray(deltas)) throw protocolFailure(this.#url, 'sent `tool_calls` that is not an array', sample);
    for (const entry of deltas) {
      const f = readFragment(entry, this.#url, sample);
      const slot = this.#slotFor(f);
      apply(slot, f);
      this.#last = slot;
    }
  }

  /** The whole calls in index order, once: the store is empty afterwards. */
  take(): BackendToolCallPart[] {
    const slots = [...this.#slots.values()].sort((a, b) => a.index - b.index);
    this.#slots.clear();
    this.#last = undefined;
    return slots.map((s) => toPart(s, this.#url, this.#newId, this.#known));
  }

  #slotFor(f: Fragment): Slot {
    if (f.index !== undefined) return this.#slots.get(f.index) ?? this.#open(f.index);
    // No index (older Ollama, ollama/ollama#7881): the id decides, else the call in progress.
    const named = f.id === undefined ? undefined : [...this.#slots.values()].find((s) => s.id === f.id);
    if (named) return named;
    if (f.id === undefined && this.#last) return this.#last;
    return this.#open(this.#slots.size === 0 ? 0 : Math.max(...this.#slots.keys()) + 1);
  }

  #open(index: number): Slot {
    const slot: Slot = { index, id: undefined, names: [], arguments: undefined };
    this.#slots.set(index, slot);
    return slot;
  }
}

/** `message.tool_calls` of a completion asked for with `stream: false`: whole calls, in array order unless indexed. */
export function readToolCalls(value: unknown, url: string, sample: string, newId: () => string): BackendToolCallPart[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw protocolFailure(url, 'sent `tool_calls` that is not an array', sample);
  const slots = value.map((entry, position) => {
    const f = readFragment(entry, url, sample);
    const slot: Slot = { index: f.index ?? position, id: undefined, names: [], arguments: undefined };
    apply(slot, f);
    return slot;
  });
  return slots.sort((a, b) => a.index - b.index).map((s) => toPart(s, url, newId, new Set()));
}
