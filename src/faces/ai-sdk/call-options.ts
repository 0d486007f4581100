/**
 * A V4 call as one edgewise request: sampling settings, response format, tools and the
 * per-call routing overrides, plus a warning for each setting the engine cannot honour
 * (the AI SDK shows them in `result.warnings`; none is dropped silently).
 */
import type { LanguageModelV4CallOptions, LanguageModelV4FunctionTool, SharedV4Warning } from '@ai-sdk/provider';
import type { GenerateRequest, JSONSchema, ResponseFormat, ToolChoice, ToolDefinition } from '../../index.js';
import { edgewiseOptions } from './provider-options.js';
import { toMessages } from './prompt.js';

const unsupported = (feature: string, details: string): SharedV4Warning => ({ type: 'unsupported', feature, details });

/** The AI SDK's JSON Schema (draft 7, an object) as the engine's `JSONSchema`; the engine checks what it can enforce. */
const schemaOf = (schema: LanguageModelV4FunctionTool['inputSchema']): JSONSchema => ({ ...schema });

function responseFormatOf(format: LanguageModelV4CallOptions['responseFormat']): ResponseFormat | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  // A schema is enforced by constrained decoding on the device and `json_schema` on the remote; without one, any JSON object.
  if (format.schema === undefined) return { type: 'json_object' };
  return { type: 'json_schema', schema: schemaOf(format.schema), ...(format.name === undefined ? {} : { name: format.name }) };
}

function toolChoiceOf(choice: LanguageModelV4CallOptions['toolChoice']): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  return choice.type === 'tool' ? { name: choice.toolName } : choice.type;
}

function toolsOf(options: LanguageModelV4CallOptions, warnings: SharedV4Warning[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const t of options.tools ?? []) {
    if (t.type === 'provider') {
      warnings.push(unsupported(`provider tool ${t.id}`, 'edgewise has no provider-executed tools; pass a function tool instead.'));
      continue;
    }
    tools.push({ name: t.name, parameters: schemaOf(t.inputSchema), ...(t.description === undefined ? {} : { description: t.description }) });
  }
  return tools;
}

/** Header names the app set; `generateText` adds its own `user-agent`, which is no request of the app's. */
export function appHeaders(headers: Record<string, string | undefined> | undefined): string[] {
  return Object.entries(headers ?? {}).filter(([name, value]) => value !== undefined && name.toLowerCase() !== 'user-agent').map(([name]) => name);
}

/** Settings of the V4 call options that no edgewise route reads. */
function ignoredSettings(options: LanguageModelV4CallOptions): SharedV4Warning[] {
  const out: SharedV4Warning[] = [];
  if (options.frequencyPenalty !== undefined) out.push(unsupported('frequencyPenalty', 'Not applied; edgewise has repetitionPenalty on the device only.'));
  if (options.presencePenalty !== undefined) out.push(unsupported('presencePenalty', 'Not applied; edgewise has repetitionPenalty on the device only.'));
  if (appHeaders(options.headers).length > 0) {
    out.push(unsupported('headers', 'Not sent: the engine sends its configured remote.headers, the same for every request.'));
  }
  if (options.reasoning !== undefined && options.reasoning !== 'provider-default') out.push(unsupported('reasoning', 'edgewise models have no reasoning setting.'));
  if (options.includeRawChunks === true) out.push(unsupported('includeRawChunks', 'The engine hands over parsed parts only; no raw chunks.'));
  return out;
}

/**
 * @returns the engine request (its `signal` is the call's `abortSignal`) and the warnings
 * this face knows before the engine runs; the engine adds its own as `warning` parts.
 */
export function toRequest(options: LanguageModelV4CallOptions): { request: GenerateRequest; warnings: SharedV4Warning[] } {
  const { messages, warnings: promptWarnings } = toMessages(options.prompt);
  const warnings = [...ignoredSettings(options), ...promptWarnings];
  const routing = edgewiseOptions(options.providerOptions, ['policy', 'maxLocalLatencyMs']);
  const responseFormat = responseFormatOf(options.responseFormat);
  const tools = toolsOf(options, warnings);
  const toolChoice = tools.length > 0 ? toolChoiceOf(options.toolChoice) : undefined;
  const request: GenerateRequest = {
    messages,
    ...(options.maxOutputTokens === undefined ? {} : { maxTokens: options.maxOutputTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.topP === undefined ? {} : { topP: options.topP }),
    ...(options.topK === undefined ? {} : { topK: options.topK }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.stopSequences === undefined || options.stopSequences.length === 0 ? {} : { stop: options.stopSequences }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
    ...(responseFormat === undefined ? {} : { responseFormat }),
    ...(tools.length === 0 ? {} : { tools }),
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...routing,
  };
  return { request, warnings };
}
