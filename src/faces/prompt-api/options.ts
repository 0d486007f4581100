/**
 * `create()`/`availability()` options: checked as the spec and explainer say (TypeError,
 * RangeError, clamping), then judged against what the engine can serve.
 */
import type { SamplingOptions, ToolDefinition } from '../../index.js';
import type { LanguageModelCreateCoreOptions, LanguageModelExpected, LanguageModelParams, LanguageModelSamplingMode, LanguageModelTool } from './types.js';

/** What `params()` reports. Greedy by default: edgewise's default, and reproducible. */
export const PARAMS: LanguageModelParams = Object.freeze({ defaultTopK: 1, maxTopK: 128, defaultTemperature: 0, maxTemperature: 2 });

/** Our reading of the explainer's presets; `balanced` is its default. */
const MODES: Readonly<Record<LanguageModelSamplingMode, { temperature: number; topK: number }>> = Object.freeze({
  'most-predictable': { temperature: 0, topK: 1 },
  predictable: { temperature: 0.3, topK: 8 },
  'slightly-predictable': { temperature: 0.5, topK: 20 },
  balanced: { temperature: 0.7, topK: 40 },
  'slightly-creative': { temperature: 0.85, topK: 50 },
  creative: { temperature: 1, topK: 64 },
  'most-creative': { temperature: 1.3, topK: 128 },
});

export interface Sampling {
  temperature: number;
  topK: number;
  /** null when raw parameters were given (explainer: "its samplingMode attribute will be null"). */
  mode: LanguageModelSamplingMode | null;
}

/**
 * Raw parameters per the explainer's legacy rules: below range is a RangeError, above is
 * clamped, topK is floored; combined with `samplingMode` they are a TypeError.
 */
export function resolveSampling(o: LanguageModelCreateCoreOptions): Sampling {
  const raw = o.temperature !== undefined || o.topK !== undefined;
  if (raw && o.samplingMode !== undefined) throw new TypeError('Pass samplingMode or temperature/topK, not both.');
  if (!raw) {
    const mode = o.samplingMode ?? 'balanced';
    const preset = MODES[mode];
    if (!preset) throw new TypeError(`Unknown samplingMode ${JSON.stringify(mode)}.`);
    return { ...preset, mode };
  }
  const t = o.temperature ?? PARAMS.defaultTemperature;
  const k = o.topK ?? PARAMS.defaultTopK;
  if (Number.isNaN(t) || t < 0) throw new RangeError('temperature must be 0 or more.');
  if (Number.isNaN(k) || k < 1) throw new RangeError('topK must be 1 or more.');
  return { temperature: Math.min(t, PARAMS.maxTemperature), topK: Math.floor(Math.min(k, PARAMS.maxTopK)), mode: null };
}

/** The engine's sampling: greedy when the preset is, so `most-predictable` is reproducible. */
export const toEngineSampling = (s: Sampling): Pick<SamplingOptions, 'temperature' | 'topK'> =>
  s.temperature === 0 || s.topK === 1 ? { temperature: 0 } : { temperature: s.temperature, topK: s.topK };

const INPUTS: readonly string[] = ['text', 'tool-response'];
const OUTPUTS: readonly string[] = ['text', 'tool-call'];
const TYPES: readonly string[] = ['text', 'image', 'audio', 'tool-call', 'tool-response'];

/** Canonical tags (a malformed one is Intl's RangeError, as ECMA-402 canonicalization throws). */
function checkExpected(list: readonly LanguageModelExpected[] | undefined, what: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new TypeError(`${what} is a list of { type, languages? }.`);
  for (const e of list as readonly LanguageModelExpected[]) {
    if (!TYPES.includes(e?.type)) throw new TypeError(`${what}: unknown type ${JSON.stringify(e?.type)}.`);
    if (e.languages !== undefined) Intl.getCanonicalLocales([...e.languages]);
  }
}

function checkTools(tools: readonly LanguageModelTool[] | undefined): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw new TypeError('tools is a list.');
  for (const t of tools as readonly LanguageModelTool[]) {
    // Every member is `required` in the IDL's LanguageModelTool dictionary.
    if (typeof t?.name !== 'string' || typeof t.description !== 'string' || typeof t.inputSchema !== 'object' || t.inputSchema === null || typeof t.execute !== 'function') {
      throw new TypeError('A tool is { name, description, inputSchema, execute }.');
    }
  }
}

/** The options' type errors, before anything else runs. */
export function checkCoreOptions(o: LanguageModelCreateCoreOptions): Sampling {
  if (typeof o !== 'object' || o === null) throw new TypeError('Options are an object.');
  checkExpected(o.expectedInputs, 'expectedInputs');
  checkExpected(o.expectedOutputs, 'expectedOutputs');
  checkTools(o.tools);
  return resolveSampling(o);
}

const primary = (tag: string): string => (Intl.getCanonicalLocales(tag)[0] ?? tag).split('-')[0]?.toLowerCase() ?? tag;

/**
 * Why the options cannot be served, or undefined: types other than text in (tool results
 * aside) or out (tool calls aside), or a language outside `languages`.
 */
export function unsupportedReason(o: LanguageModelCreateCoreOptions, languages: readonly string[]): string | undefined {
  const served = new Set(languages.map(primary));
  const check = (list: readonly LanguageModelExpected[] | undefined, allowed: readonly string[], what: string): string | undefined => {
    for (const e of list ?? []) {
      if (!allowed.includes(e.type)) return `${what} of type ${e.type} are not supported (text only).`;
      const missing = (e.languages ?? []).find((l) => !served.has(primary(l)));
      if (missing !== undefined) return `${what} in ${missing} are not supported (this model serves ${languages.join(', ')}).`;
    }
    return undefined;
  };
  return check(o.expectedInputs, INPUTS, 'Inputs') ?? check(o.expectedOutputs, OUTPUTS, 'Outputs');
}

/** The Prompt API's tools as the engine's tool definitions. */
export const toolDefinitions = (tools: readonly LanguageModelTool[]): ToolDefinition[] =>
  tools.map((t) => ({ name: t.name, description: t.description, parameters: t.inputSchema }));
