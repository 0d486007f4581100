/**
 * The AI SDK's V4 prompt as edgewise chat messages. Text and tool turns map one to one;
 * what the engine cannot read is refused rather than dropped, because a prompt without
 * its image or document silently asks a different question.
 */
import { InvalidPromptError, UnsupportedFunctionalityError, type LanguageModelV4Prompt, type LanguageModelV4ToolResultOutput, type SharedV4Warning } from '@ai-sdk/provider';
import type { ChatMessage, ToolCall } from '../../index.js';

type Message = LanguageModelV4Prompt[number];
type Part<R extends Message['role']> = Extract<Message, { role: R }>['content'][number];

function fileRefused(mediaType: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality: `file parts (${mediaType})`,
    message: `edgewise models read text only: a file part (${mediaType}) cannot be sent. Put its text into a text part, or describe it.`,
  });
}

/** A tool's output as the text of a `tool` message (edgewise tool results are strings, as in OpenAI's API). */
function outputText(output: LanguageModelV4ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason === undefined ? 'The tool call was denied.' : `The tool call was denied: ${output.reason}`;
    case 'content':
      return output.value.map((p) => {
        if (p.type === 'text') return p.text;
        if (p.type === 'file') throw fileRefused(p.mediaType);
        throw new UnsupportedFunctionalityError({ functionality: 'custom parts in tool results' });
      }).join('\n');
    default: {
      const never: never = output;
      throw new InvalidPromptError({ prompt: never, message: 'Unknown tool result output type.' });
    }
  }
}

function userText(parts: readonly Part<'user'>[]): string {
  return parts.map((p) => {
    if (p.type === 'file') throw fileRefused(p.mediaType);
    return p.text;
  }).join('\n');
}

function toolCallOf(p: Extract<Part<'assistant'>, { type: 'tool-call' }>, prompt: LanguageModelV4Prompt): ToolCall {
  const input = typeof p.input === 'string' ? parseInput(p.input, prompt) : p.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidPromptError({ prompt, message: `Tool call ${p.toolCallId} (${p.toolName}) has an input that is not an object; edgewise tool arguments are JSON objects.` });
  }
  return { id: p.toolCallId, name: p.toolName, arguments: { ...input } };
}

/** A call replayed from a store may carry its input as JSON text rather than the parsed value. */
function parseInput(text: string, prompt: LanguageModelV4Prompt): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidPromptError({ prompt, message: `A tool call input is not JSON: ${text.slice(0, 80)}`, cause });
  }
}

/**
 * @returns the messages, and warnings for the parts that carry nothing the engine can use
 * (reasoning, provider-specific custom parts, approvals of provider-executed tools).
 * @throws UnsupportedFunctionalityError for file parts; InvalidPromptError for a malformed tool call.
 */
export function toMessages(prompt: LanguageModelV4Prompt): { messages: ChatMessage[]; warnings: SharedV4Warning[] } {
  const messages: ChatMessage[] = [];
  const dropped = new Set<string>();
  for (const m of prompt) {
    switch (m.role) {
      case 'system':
        messages.push({ role: 'system', content: m.content });
        break;
      case 'user':
        messages.push({ role: 'user', content: userText(m.content) });
        break;
      case 'assistant': {
        let content = '';
        const toolCalls: ToolCall[] = [];
        const results: ChatMessage[] = [];
        for (const p of m.content) {
          if (p.type === 'text') content += p.text;
          else if (p.type === 'tool-call') toolCalls.push(toolCallOf(p, prompt));
          else if (p.type === 'tool-result') results.push({ role: 'tool', toolCallId: p.toolCallId, name: p.toolName, content: outputText(p.output) });
          else if (p.type === 'file') throw fileRefused(p.mediaType);
          else dropped.add(`${p.type} parts`);
        }
        messages.push(toolCalls.length > 0 ? { role: 'assistant', content, toolCalls } : { role: 'assistant', content });
        messages.push(...results);
        break;
      }
      case 'tool':
        for (const p of m.content) {
          if (p.type === 'tool-result') messages.push({ role: 'tool', toolCallId: p.toolCallId, name: p.toolName, content: outputText(p.output) });
          else dropped.add('tool approval responses');
        }
        break;
      default: {
        const never: never = m;
        throw new InvalidPromptError({ prompt, message: `Unknown message role in ${JSON.stringify(never)}` });
      }
    }
  }
  const warnings: SharedV4Warning[] = [...dropped].map((feature) => ({ type: 'unsupported', feature, details: 'Left out of the prompt: edgewise models have no use for them.' }));
  return { messages, warnings };
}
