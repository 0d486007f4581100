/**
 * The router's facts about every candidate, gathered through the backend spec: what it
 * declares (capabilities), what it says without being asked (state, supports), and what
 * it is asked only when the answer can change the route (exact token counts, whether its
 * weights are stored).
 */
import type { BackendV3, UnsupportedCode } from '../backends/backend.js';
import type { Capabilities } from '../capabilities.js';
import type { CandidateFacts, RouteInput } from '../route/router.js';
import type { Policy } from '../route/vocab.js';
import type { GenerateRequest, SkippedBackend } from '../types.js';
import type { CheckedRequest } from '../validate.js';
import type { RunContext } from './context.js';

export type Job =
  | { type: 'generate'; checked: CheckedRequest; original: GenerateRequest }
  | { type: 'embed'; policy: Policy | undefined };

/** What a `supports()` no becomes in `finish.route.skipped`. */
function skipReason(code: UnsupportedCode): SkippedBackend['reason'] {
  switch (code) {
    case 'downloading': return 'downloading';
    case 'load_failed': return 'local_load_failed';
    case 'memory': case 'storage': case 'context_overflow': case 'offline': return code;
    default: return 'unsupported_device';
  }
}

/** Why `b` cannot take this request whatever the policy, if it cannot. */
function unfitFor(b: BackendV3, job: Job, caps: Capabilities): CandidateFacts['unfit'] {
  // The remote's own answer (offline) is the policy's business, as it always was: prefer-remote reads `online`.
  if (b.location === 'local') {
    const s = b.supports(caps);
    if (!s.ok && s.code !== 'load_failed') return { reason: skipReason(s.code), detail: s.detail };
  }
  if (job.type !== 'generate') return undefined;
  const { responseFormat, tools } = job.checked.request;
  if (responseFormat && !b.capabilities.responseFormats.includes(responseFormat.type)) {
    return { reason: 'unsupported_request', detail: `the ${b.kind} backend cannot enforce responseFormat '${responseFormat.type}'` };
  }
  if (tools && tools.length > 0 && !b.capabilities.tools) return { reason: 'unsupported_request', detail: `the ${b.kind} backend takes no tools` };
  return undefined;
}

const utf8Length = (job: Job): number => {
  if (job.type !== 'generate') return 0;
  const r = job.checked.request;
  const text = r.prompt ?? (r.messages ?? []).map((m) => m.content).join('\n');
  return new TextEncoder().encode(text).length;
};

export async function routeInput(ctx: RunContext, candidates: readonly BackendV3[], job: Job, caps: Capabilities): Promise<RouteInput> {
  const policy = (job.type === 'generate' ? job.checked.policy : job.policy) ?? ctx.policy;
  const hasRemote = candidates.some((b) => b.location === 'remote');
  const speed = ctx.stats.localSpeed();
  const facts = await Promise.all(candidates.map(async (b): Promise<CandidateFacts> => {
    const s = b.state;
    const f: CandidateFacts = { side: b.location, ranOn: s.ranOn, loaded: s.loaded };
    const unfit = unfitFor(b, job, caps);
    if (unfit) f.unfit = unfit;
    if (b.location === 'remote') return f;
    if (s.loadError) f.loadFailed = { code: s.loadError.code, message: s.loadError.message };
    // Embeddings truncate long texts and say so: no context check for them.
    if (s.contextLength !== undefined && job.type === 'generate') f.contextLength = s.contextLength;
    if (s.weightBytes !== undefined) f.weightBytes = s.weightBytes;
    if (speed) f.speed = speed;
    // Each of these costs a worker round trip: asked only where the answer can move the request.
    const mayMove = policy === 'prefer-local' && !unfit;
    if (mayMove && hasRemote && s.loaded && job.type === 'generate' && b.countTokens) {
      const n = await b.countTokens(job.checked.request).catch(() => undefined);
      if (n !== undefined) f.promptTokens = n;
    }
    if (mayMove && !s.loaded && s.weightBytes !== undefined && caps.storage !== undefined && b.isCached) {
      f.cached = await b.isCached().catch(() => false);
    }
    return f;
  }));
  const input: RouteInput = { policy, maxTokens: job.type === 'generate' ? job.checked.request.maxTokens : 0, promptChars: utf8Length(job), candidates: facts, capabilities: caps };
  const budget = job.type === 'generate' ? job.checked.maxLocalLatencyMs ?? ctx.maxLocalLatencyMs : undefined;
  if (budget !== undefined) input.maxLocalLatencyMs = budget;
  return input;
}
