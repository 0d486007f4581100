/**
 * Runs one request along the router's candidates. A candidate that fails before its
 * first token hands over to the next one (failover); once text reached the caller the
 * stream is never spliced with another backend's: the error surfaces, typed. Remote
 * requests are redacted before they leave the page and restored on the way back.
 */
import type { Backend, BackendFinishPart, BackendRequest, UnsupportedCode } from './backends/backend.js';
import type { LocalWorkerBackend } from './backends/local-worker.js';
import { abortedFinish } from './backends/parts.js';
import type { Capabilities } from './capabilities.js';
import { EdgewiseError, isEdgewiseError } from './errors.js';
import { customDecision, decideRoute, estimatePromptTokens, failoverReason, type RouteDecision, type RouteInput, type Side } from './route/router.js';
import type { Policy, RanOn } from './route/vocab.js';
import type { StatsRecorder } from './stats/stats.js';
import type { FinishPart, GenerateRequest, Part, Redactions, Route, SkippedBackend } from './types.js';
import type { RedactOptions, RouteFunction } from './config-types.js';
import type { CheckedRequest } from './validate.js';

/** What the dispatcher needs of the local side (the worker adapter, or a fake in tests). */
export type LocalSide = Backend & Pick<LocalWorkerBackend, 'loaded' | 'loadError' | 'info' | 'countTokens'> & {
  /** Devices the local model gave up on (a WebGPU that failed). */
  readonly skipped?: readonly SkippedBackend[];
  /** Approximate weight bytes from the model spec, when the app gave them. */
  readonly bytes?: number | undefined;
  /** Whether the weights are fully in IndexedDB (a worker round trip). */
  isCached?(): Promise<boolean>;
  /** The context window known before load (a catalog model's), when `info` is not there yet. */
  readonly contextHint?: number | undefined;
  /** Where it runs before it is loaded (`info.ranOn` after). */
  readonly ranOnHint: RanOn;
  /** Refreshes what `supports()` reads (the built-in model's availability); cheap, cached. */
  refresh?(): Promise<unknown>;
};

export interface DispatchContext {
  /** The app's local models in its order of preference; the first the device can run serves. */
  locals: readonly LocalSide[];
  /** The remote backend, imported on first use; undefined when none is configured. */
  remote: (() => Promise<Backend>) | undefined;
  redact: false | RedactOptions;
  policy: Policy;
  maxLocalLatencyMs: number | undefined;
  route: RouteFunction | undefined;
  capabilities(): Promise<Capabilities>;
  stats: StatsRecorder;
}

// Errors that are the caller's doing, not the backend's: another backend would fail the same way.
const NO_FAILOVER = new Set(['aborted', 'disposed', 'invalid_request', 'invalid_signal']);

const utf8Length = (r: BackendRequest): number => {
  const text = r.prompt ?? (r.messages ?? []).map((m) => m.content).join('\n');
  return new TextEncoder().encode(text).length;
};

/** What a local candidate's `no` becomes in `finish.route.skipped`. */
function skipReason(code: UnsupportedCode): SkippedBackend['reason'] {
  switch (code) {
    case 'downloading': return 'downloading';
    case 'load_failed': return 'local_load_failed';
    case 'memory': case 'storage': case 'context_overflow': case 'offline': return code;
    default: return 'unsupported_device';
  }
}

/**
 * The local candidates the device can run, in order, and why the others were passed over.
 * A candidate whose last load failed stays, after the healthy ones: the router then says
 * `local_load_failed` (prefer-local goes remote), and local-only retries it for its real
 * typed error instead of claiming no model is configured.
 */
async function usableLocals(ctx: DispatchContext, c: CheckedRequest, caps: Capabilities): Promise<{ usable: LocalSide[]; skipped: SkippedBackend[] }> {
  await Promise.all(ctx.locals.map((l) => l.refresh?.().catch(() => undefined)));
  const healthy: LocalSide[] = [];
  const failed: LocalSide[] = [];
  const skipped: SkippedBackend[] = [];
  for (const l of ctx.locals) {
    const s = l.supports(c.request, caps);
    if (s.ok) healthy.push(l);
    else if (s.code === 'load_failed') failed.push(l);
    else skipped.push({ ranOn: l.info?.ranOn ?? l.ranOnHint, reason: skipReason(s.code), detail: s.detail });
  }
  if (healthy.length > 0) {
    for (const l of failed) skipped.push({ ranOn: l.info?.ranOn ?? l.ranOnHint, reason: 'local_load_failed', detail: l.loadError?.message ?? 'its last load failed' });
  }
  return { usable: [...healthy, ...failed], skipped };
}

interface Plan {
  decision: RouteDecision;
  /** Ordered: the router's sides, the local side expanded into the usable local candidates. */
  steps: { side: Side; ranOn: RanOn; local?: LocalSide }[];
  localSkipped: SkippedBackend[];
}

async function plan(ctx: DispatchContext, c: CheckedRequest, original: GenerateRequest): Promise<Plan> {
  const caps = await ctx.capabilities();
  const { usable, skipped: localSkipped } = await usableLocals(ctx, c, caps);
  const decision = await decide(ctx, c, original, caps, usable[0]);
  const steps: Plan['steps'] = [];
  for (const cand of decision.candidates) {
    if (cand.side === 'remote') steps.push({ side: 'remote', ranOn: 'remote' });
    else for (const l of usable) steps.push({ side: 'local', ranOn: l.info?.ranOn ?? l.ranOnHint, local: l });
  }
  return { decision, steps, localSkipped };
}

async function decide(ctx: DispatchContext, c: CheckedRequest, original: GenerateRequest, caps: Capabilities, local: LocalSide | undefined): Promise<RouteDecision> {
  const policy = c.policy ?? ctx.policy;
  // The exact count costs a worker round trip: only worth it when the answer can change the route.
  const needsCount = local?.loaded === true && ctx.remote !== undefined && policy === 'prefer-local';
  const promptTokens = needsCount ? await local.countTokens(c.request) : undefined;
  const contextLength = local?.info?.contextLength ?? local?.contextHint;
  const weightBytes = local?.bytes;
  // Whether the weights are stored only matters for the storage check, which needs both numbers.
  const cached = weightBytes !== undefined && caps.storage !== undefined && !local?.loaded && policy === 'prefer-local'
    ? await local?.isCached?.().catch(() => false)
    : undefined;
  const speed = ctx.stats.localSpeed();
  const input: RouteInput = {
    policy,
    maxTokens: c.request.maxTokens,
    local: {
      configured: local !== undefined,
      ranOn: local?.info?.ranOn ?? local?.ranOnHint ?? 'wasm',
      loaded: local?.loaded === true,
      ...(local?.loadError ? { loadFailed: { code: local.loadError.code, message: local.loadError.message } } : {}),
      ...(contextLength !== undefined ? { contextLength } : {}),
      ...(weightBytes !== undefined ? { weightBytes } : {}),
      ...(cached !== undefined ? { cached } : {}),
      ...(promptTokens !== undefined ? { promptTokens } : {}),
      promptChars: utf8Length(c.request),
      ...(speed ? { speed } : {}),
    },
    remote: { configured: ctx.remote !== undefined },
    capabilities: caps,
  };
  const budget = c.maxLocalLatencyMs ?? ctx.maxLocalLatencyMs;
  if (budget !== undefined) input.maxLocalLatencyMs = budget;
  return ctx.route ? customDecision(ctx.route(original, caps), input) : decideRoute(input);
}

function noCandidate(d: RouteDecision): EdgewiseError {
  const details = { policy: d.policy, reason: d.reason, skipped: d.skipped };
  if (d.reason === 'no_remote') {
    return new EdgewiseError('remote_not_configured', `Policy '${d.policy}' needs the remote endpoint, but none is configured: pass createEngine({ remote: { baseURL, model } }) or use a local policy.`, { details });
  }
  return new EdgewiseError('no_backend', `No backend can serve this request under policy '${d.policy}': ${d.detail}. Configure a local model or a remote endpoint the policy allows.`, { details });
}

export async function* dispatch(ctx: DispatchContext, c: CheckedRequest, original: GenerateRequest, stream: boolean): AsyncGenerator<Part, void, undefined> {
  const { decision, steps, localSkipped } = await plan(ctx, c, original);
  const skippedAll = [...localSkipped, ...decision.skipped];
  if (steps.length === 0) throw noCandidate({ ...decision, skipped: skippedAll });
  const route: Route = { policy: decision.policy, reason: decision.reason, detail: decision.detail };
  if (skippedAll.length > 0) route.skipped = skippedAll;
  const { signal } = c;

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Plan['steps'][number];
    const last = i === steps.length - 1;
    let started = false;
    try {
      const parts = step.local ? runLocal(step.local, c, signal) : runRemote(ctx, c, stream);
      for await (const p of parts) {
        if (p.type === 'text') {
          started = true;
          yield p;
          continue;
        }
        const { fallback, ...rest } = p.finish;
        if (fallback) {
          route.failover = fallback;
          route.reason = 'local_failed';
          route.detail = `${fallback.from} failed before the first token (${fallback.code}); ${rest.ranOn} took over`;
        }
        if (step.local?.skipped?.length) route.skipped = [...(route.skipped ?? []), ...step.local.skipped];
        const finish: FinishPart = { ...rest, route };
        ctx.stats.record(finish);
        yield finish;
        return;
      }
      throw new EdgewiseError('runtime_error', 'A backend ended its stream without a finish part; this is a bug in edgewise.');
    } catch (e) {
      if (signal?.aborted && !started) {
        const finish: FinishPart = { ...abortedFinish(c.request.startedAt, step.ranOn), route };
        ctx.stats.record(finish);
        yield finish;
        return;
      }
      if (started || last || !isEdgewiseError(e) || NO_FAILOVER.has(e.code)) throw e;
      // Before the first token nothing reached the caller: the next candidate takes over.
      const next = steps[i + 1] as Plan['steps'][number];
      route.failover = { from: step.ranOn, code: e.code, message: e.message };
      route.reason = e.code === 'context_overflow' ? 'context_overflow'
        : step.local && !step.local.loaded ? 'local_load_failed'
        : failoverReason(step.side);
      route.detail = `${step.ranOn} failed before its first token (${e.code}); ${next.ranOn} took over`;
    }
  }
}

type Step = { type: 'text'; text: string } | { type: 'finish'; finish: BackendFinishPart & { redactions?: Redactions } };

async function* runLocal(local: LocalSide, c: CheckedRequest, signal: AbortSignal | undefined): AsyncGenerator<Step> {
  await local.load(signal ? { signal } : {});
  for await (const p of local.generate(c.request, signal ? { signal } : {})) {
    yield p.type === 'text' ? p : { type: 'finish', finish: p };
  }
}

async function* runRemote(ctx: DispatchContext, c: CheckedRequest, stream: boolean): AsyncGenerator<Step> {
  const remote = await (ctx.remote as () => Promise<Backend>)();
  const options = { stream, ...(c.signal ? { signal: c.signal } : {}) };
  if (ctx.redact === false) {
    for await (const p of remote.generate(c.request, options)) yield p.type === 'text' ? p : { type: 'finish', finish: { ...p, redactions: {} } };
    return;
  }
  // Imported on first remote use: an app that never goes remote never downloads the detectors.
  const { createRedactionSession } = await import('./privacy/index.js');
  const session = createRedactionSession(ctx.redact);
  const request: BackendRequest = c.request.prompt !== undefined
    ? { ...c.request, prompt: session.redactText(c.request.prompt) }
    : { ...c.request, messages: session.redactMessages(c.request.messages ?? []) };
  const restore = session.restorer();
  for await (const p of remote.generate(request, options)) {
    if (p.type === 'text') {
      const text = restore.push(p.text);
      if (text) yield { type: 'text', text };
      continue;
    }
    const tail = restore.flush();
    if (tail) yield { type: 'text', text: tail };
    yield { type: 'finish', finish: { ...p, redactions: session.counts() } };
  }
}
