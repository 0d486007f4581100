/**
 * The engine's own check of what a backend produced, the same on every route: tool-call
 * arguments parsed and validated against their tool, and the whole text against the
 * response format. Whatever the backend enforced, nothing that does not validate is
 * returned as valid: it becomes a typed `invalid_output` error.
 */
import type { BackendRequest, BackendToolCallPart } from '../backends/backend.js';
import { EdgewiseError } from '../errors.js';
import { validateOutput, validateToolArguments } from '../structured/validate.js';
import type { FinishReason, ToolCallPart } from '../types.js';

export class OutputCheck {
  private text = '';
  private calls = 0;

  constructor(private readonly request: BackendRequest) {}

  /** Whether the text must be kept for the final check. */
  get checksText(): boolean {
    return this.request.responseFormat !== undefined;
  }

  push(text: string): void {
    if (this.checksText) this.text += text;
  }

  toolCall(p: BackendToolCallPart): ToolCallPart {
    const tools = this.request.tools ?? [];
    const args = validateToolArguments(tools, p.name, p.arguments);
    this.calls++;
    return { type: 'tool-call', id: p.id, name: p.name, arguments: args };
  }

  /** Throws `invalid_output` when the answer, now whole, does not validate. */
  finish(reason: FinishReason): void {
    if (reason === 'abort') return;
    const { responseFormat, toolChoice, tools } = this.request;
    const mustCall = tools && tools.length > 0 && (toolChoice === 'required' || typeof toolChoice === 'object');
    if (mustCall && this.calls === 0) {
      throw new EdgewiseError('invalid_output', `toolChoice ${JSON.stringify(toolChoice)} asked for a tool call and the model answered without one.`, { details: { reason: 'no_tool_call' } });
    }
    if (!responseFormat || this.calls > 0) return;
    if (reason === 'length') {
      throw new EdgewiseError('invalid_output', `The output reached maxTokens (${this.request.maxTokens}) before the ${responseFormat.type} value was complete; raise maxTokens or bound the schema (maxLength, maxItems).`, {
        details: { reason: 'length', output: this.text.slice(0, 200) },
      });
    }
    validateOutput(this.text, responseFormat);
  }
}
