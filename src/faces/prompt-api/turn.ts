/**
 * One answer: the engine generates; when the model calls tools, the session runs each
 * tool's `execute` (concurrently, as the explainer's "Concurrent tool use" expects), adds
 * the calls and results to the turn and asks again, until the model answers in text.
 * Index.bs "generate": "the model may use the provided tools by calling their execute".
 */
import type { ChatMessage, Engine, GenerateRequest, ResponseFormat, SamplingOptions, ToolCall } from '../../index.js';
import { raceAbort } from './abort.js';
import { abortReason } from './errors.js';
import { toolDefinitions } from './options.js';
import type { LanguageModelTool } from './types.js';

/** Rounds of tool calls before the model is made to answer in text (the explainer's toolUseConfig is not in the IDL yet). */
const MAX_TOOL_ROUNDS = 8;

export interface TurnRequest {
  engine: Engine;
  messages: readonly ChatMessage[];
  tools: readonly LanguageModelTool[];
  sampling: Pick<SamplingOptions, 'temperature' | 'topK'>;
  responseFormat?: ResponseFormat;
  maxTokens?: number;
  signal: AbortSignal;
  /** Each piece of answer text as it comes (promptStreaming's chunks). */
  onText?: (delta: string) => void;
}

export interface Turn {
  text: string;
  /** The tool calls, their results and the answer, for the history. */
  added: ChatMessage[];
}

async function runTool(tools: readonly LanguageModelTool[], call: ToolCall): Promise<string> {
  const tool = tools.find((t) => t.name === call.name);
  // The engine validates calls against the declared tools, so this is a guard, not a path.
  if (!tool) throw new TypeError(`The model called an unknown tool ${call.name}.`);
  const result: unknown = await tool.execute(call.arguments);
  // The IDL's LanguageModelToolFunction returns a DOMString; anything else is stringified as IDL would, JSON first.
  return typeof result === 'string' ? result : JSON.stringify(result) ?? String(result);
}

export async function runTurn(r: TurnRequest): Promise<Turn> {
  const defs = toolDefinitions(r.tools);
  const added: ChatMessage[] = [];
  let text = '';
  for (let round = 0; ; round++) {
    const request: GenerateRequest = {
      messages: [...r.messages, ...added],
      signal: r.signal,
      ...r.sampling,
      ...(r.maxTokens !== undefined ? { maxTokens: r.maxTokens } : {}),
      ...(r.responseFormat ? { responseFormat: r.responseFormat } : {}),
      ...(defs.length > 0 ? { tools: defs, toolChoice: round < MAX_TOOL_ROUNDS ? ('auto' as const) : ('none' as const) } : {}),
    };
    const calls: ToolCall[] = [];
    let roundText = '';
    for await (const part of r.engine.generate(request)) {
      if (part.type === 'text') {
        roundText += part.text;
        r.onText?.(part.text);
      } else if (part.type === 'tool-call') {
        calls.push({ id: part.id, name: part.name, arguments: part.arguments });
      }
    }
    // The engine may end an aborted stream with a finish part rather than an error.
    if (r.signal.aborted) throw abortReason(r.signal);
    text += roundText;
    if (calls.length === 0) {
      added.push({ role: 'assistant', content: roundText });
      return { text, added };
    }
    added.push({ role: 'assistant', content: roundText, toolCalls: calls });
    const results = await raceAbort(Promise.all(calls.map((c) => runTool(r.tools, c))), r.signal);
    calls.forEach((c, i) => added.push({ role: 'tool', toolCallId: c.id, name: c.name, content: results[i] ?? '' }));
  }
}
