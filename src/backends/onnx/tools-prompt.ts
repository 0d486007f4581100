/**
 * Tools in a local model's prompt. A chat template that knows tools (SmolLM3, Qwen 2.5,
 * Llama 3.x, Hermes: its source reads `tools`) gets them as Hugging Face passes them, and
 * the history in its shape (`tool_calls` on assistant turns, `tool` turns). A template
 * that does not (small base models, the fallback template) gets them described in the
 * system message, and the history as text it can read. Either way the answer is then
 * constrained to a call (`structured.ts`), so the model's own call syntax never matters.
 */
import type { ChatMessage, ToolDefinition } from '../../types.js';

/** A message as Hugging Face chat templates read it. */
export type TemplateMessage = { role: string; content: string; tool_calls?: unknown[]; tool_call_id?: string; name?: string };

export interface TemplateInput {
  messages: TemplateMessage[];
  tools?: unknown[];
}

const call = (c: { name: string; arguments: Record<string, unknown> }): string => JSON.stringify({ name: c.name, arguments: c.arguments });

/**
 * One line per tool, as a signature (`add(a, b?): Adds two integers`): small models have
 * small contexts, and the grammar, not the prompt, holds the call to the exact schema.
 */
export function describeTools(tools: readonly ToolDefinition[]): string {
  const lines = tools.map((t) => {
    const p = typeof t.parameters === 'object' ? t.parameters : {};
    const required = new Set(Array.isArray(p['required']) ? (p['required'] as string[]) : []);
    const args = Object.keys((p['properties'] ?? {}) as object).map((k) => (required.has(k) ? k : `${k}?`));
    return `- ${t.name}(${args.join(', ')})${t.description ? `: ${t.description}` : ''}`;
  });
  return `Tools:\n${lines.join('\n')}\nTo call one, answer {"name": …, "arguments": {…}}.`;
}

/** What the template renders for `messages` with `tools` (absent or empty: the messages as they are). */
export function templateInput(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined, templateKnowsTools: boolean): TemplateInput {
  if (!tools || tools.length === 0) return { messages: messages.map((m) => textOf(m)) };
  if (templateKnowsTools) {
    return {
      messages: messages.map((m): TemplateMessage => {
        if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.toolCallId, ...(m.name ? { name: m.name } : {}) };
        if (m.role === 'assistant' && m.toolCalls?.length) {
          return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
        }
        return { role: m.role, content: m.content };
      }),
      tools: tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } })),
    };
  }
  const out = messages.map((m) => textOf(m));
  const system = out.findIndex((m) => m.role === 'system');
  const described = describeTools(tools);
  if (system >= 0) out[system] = { role: 'system', content: `${out[system]!.content}\n\n${described}` };
  else out.unshift({ role: 'system', content: described });
  return { messages: out };
}

/** A message as plain text for a template that knows no tools. */
function textOf(m: ChatMessage): TemplateMessage {
  if (m.role === 'tool') return { role: 'user', content: `Result of tool call ${m.toolCallId}${m.name ? ` (${m.name})` : ''}: ${m.content}` };
  if (m.role === 'assistant' && m.toolCalls?.length) return { role: 'assistant', content: [m.content, ...m.toolCalls.map(call)].filter(Boolean).join('\n') };
  return { role: m.role, content: m.content };
}
