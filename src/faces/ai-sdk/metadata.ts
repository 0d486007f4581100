/**
 * What an edgewise `finish` part says, in the V4 result's terms: usage, finish reason,
 * warnings, and `providerMetadata.edgewise` (where it ran and why, cost, redactions, the
 * weight form). Provider metadata must be JSON values, so absent facts are left out
 * rather than set to `undefined`.
 */
import type { JSONObject, LanguageModelV4FinishReason, LanguageModelV4Usage, SharedV4ProviderMetadata, SharedV4Warning } from '@ai-sdk/provider';
import type { Cost, FinishPart, Redactions, Route, Warning } from '../../index.js';

export function warningOf(w: Warning): SharedV4Warning {
  const feature = w.setting ?? 'request';
  // `degraded`: honoured in a weaker form (a json_schema sent as json_object), which is what V4 calls compatibility mode.
  return w.code === 'degraded' ? { type: 'compatibility', feature, details: w.message } : { type: 'unsupported', feature, details: w.message };
}

export function finishReasonOf(reason: FinishPart['reason']): LanguageModelV4FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool-calls':
      return { unified: reason, raw: reason };
    case 'abort':
      // V4 has no abort reason; the AI SDK learns of the abort from its own signal.
      return { unified: 'other', raw: reason };
    default: {
      const never: never = reason;
      return { unified: 'other', raw: String(never) };
    }
  }
}

/** Token counts as V4 wants them; the engine's timings ride along in `raw`. */
export function usageOf(finish: FinishPart): LanguageModelV4Usage {
  const u = finish.usage;
  return {
    // The engine does not report prompt caching, so the split is unknown rather than zero.
    inputTokens: { total: u.promptTokens, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: u.completionTokens, text: undefined, reasoning: undefined },
    raw: { promptTokens: u.promptTokens, completionTokens: u.completionTokens, timeToFirstTokenMs: u.timeToFirstTokenMs, tokensPerSecond: u.tokensPerSecond, totalMs: u.totalMs },
  };
}

export function routeJson(r: Route): JSONObject {
  const out: JSONObject = { policy: r.policy, reason: r.reason, detail: r.detail };
  if (r.failover !== undefined) out['failover'] = { from: r.failover.from, code: r.failover.code, message: r.failover.message };
  if (r.skipped !== undefined) out['skipped'] = r.skipped.map((s) => ({ ranOn: s.ranOn, reason: s.reason, detail: s.detail }));
  return out;
}

export const costJson = (c: Cost): JSONObject => ({ input: c.input, output: c.output, total: c.total, currency: c.currency });

export function redactionsJson(r: Redactions): JSONObject {
  const out: JSONObject = {};
  for (const [type, n] of Object.entries(r)) if (typeof n === 'number') out[type] = n;
  return out;
}

/** `providerMetadata.edgewise` of a generation: the finish part's facts, JSON only. */
export function generationMetadata(finish: FinishPart): SharedV4ProviderMetadata {
  const out: JSONObject = { ranOn: finish.ranOn, route: routeJson(finish.route) };
  if (finish.cost !== undefined) out['cost'] = costJson(finish.cost);
  if (finish.redactions !== undefined) out['redactions'] = redactionsJson(finish.redactions);
  const weights = finish.metadata?.onnx?.weights;
  if (weights !== undefined) out['weights'] = weights;
  const format = finish.metadata?.remote?.responseFormat;
  if (format !== undefined) out['responseFormat'] = format;
  return { edgewise: out };
}
