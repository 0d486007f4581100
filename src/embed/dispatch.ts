/**
 * Runs one embed() call where the router says, like generation: the same policies, the
 * same failover (an embedding is all or nothing, so any failure of one candidate hands
 * over to the next), and redaction of every text that goes remote. Redacted texts embed
 * placeholders instead of the values, which shifts their vectors: README, "Embeddings".
 */
import type { Backend, EmbedRequest, EmbedResult } from '../backends/backend.js';
import type { LocalEmbedder } from '../backends/local-embedder.js';
import type { Capabilities } from '../capabilities.js';
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { decideRoute, failoverReason, type RouteDecision, type Side } from '../route/router.js';
import type { Policy } from '../route/vocab.js';
import type { StatsRecorder } from '../stats/stats.js';
import type { Embeddings, Redactions, Route } from '../types.js';
import type { RedactOptions } from '../config-types.js';
import type { CheckedEmbed } from './validate.js';
import { now } from '../clock.js';

export interface EmbedContext {
  local: LocalEmbedder | undefined;
  remote: (() => Promise<Backend>) | undefined;
  redact: false | RedactOptions;
  policy: Policy;
  capabilities(): Promise<Capabilities>;
  stats: StatsRecorder;
}

const NO_FAILOVER = new Set(['aborted', 'disposed', 'invalid_input', 'invalid_option']);

async function decide(ctx: EmbedContext, policy: Policy): Promise<RouteDecision> {
  const caps = await ctx.capabilities();
  const local = ctx.local;
  const bytes = local?.model.bytes;
  const cached = bytes !== undefined && caps.storage !== undefined && local && !local.loaded ? await local.isCached().catch(() => false) : undefined;
  return decideRoute({
    policy,
    maxTokens: 0,
    local: {
      configured: local !== undefined,
      ranOn: local?.info?.ranOn ?? (local?.model.engine === 'webllm' ? 'webllm' : 'wasm'),
      loaded: local?.loaded === true,
      ...(local?.loadError ? { loadFailed: { code: local.loadError.code, message: local.loadError.message } } : {}),
      ...(bytes !== undefined ? { weightBytes: bytes } : {}),
      ...(cached !== undefined ? { cached } : {}),
      // Long texts are truncated and reported, never refused: no context check here.
      promptChars: 0,
    },
    remote: { configured: ctx.remote !== undefined },
    capabilities: caps,
  });
}

function assemble(r: EmbedResult, route: Route, redactions: Redactions | undefined): Embeddings {
  const out = r.vectors as Embeddings;
  out.truncated = r.truncated;
  out.promptTokens = r.promptTokens;
  out.ranOn = r.ranOn;
  out.route = route;
  if (r.cost) out.cost = r.cost;
  if (redactions) out.redactions = redactions;
  return out;
}

type BatchOptions = { signal?: AbortSignal; onBatch?: (n: number) => void };

async function runRemote(ctx: EmbedContext, request: EmbedRequest, o: BatchOptions): Promise<{ result: EmbedResult; redactions: Redactions }> {
  const remote = await (ctx.remote as () => Promise<Backend>)();
  if (!remote.embed) throw new EdgewiseError('runtime_error', 'The remote backend cannot embed; this is a bug in edgewise.');
  if (ctx.redact === false) return { result: await remote.embed(request, o), redactions: {} };
  const { createRedactionSession } = await import('../privacy/index.js');
  const session = createRedactionSession(ctx.redact);
  const texts = request.texts.map((t) => session.redactText(t));
  return { result: await remote.embed({ ...request, texts }, o), redactions: session.counts() };
}

export async function dispatchEmbed(ctx: EmbedContext, c: CheckedEmbed): Promise<Embeddings> {
  const started = now();
  const policy = c.policy ?? ctx.policy;
  if (!ctx.local && !ctx.remote) {
    throw new EdgewiseError('no_embedding_model', 'This engine has no embedding model and no remote endpoint: pass createEngine({ embeddingModel: { id, url } }) or a `remote`.');
  }
  const decision = await decide(ctx, policy);
  const route: Route = { policy: decision.policy, reason: decision.reason, detail: decision.detail };
  if (decision.skipped.length > 0) route.skipped = decision.skipped;
  const first = decision.candidates[0];
  if (!first) {
    const code = decision.reason === 'no_remote' ? 'remote_not_configured' : 'no_embedding_model';
    throw new EdgewiseError(code, `No embedding backend can serve this call under policy '${policy}': ${decision.detail}. Configure an embeddingModel or a remote the policy allows.`, { details: { skipped: decision.skipped } });
  }
  const total = c.request.texts.length;
  if (total === 0) return assemble({ vectors: [], truncated: [], promptTokens: 0, ranOn: first.ranOn }, route, undefined);
  const onBatch = c.onProgress && ((done: number) => c.onProgress?.({ done, total }));
  const o: BatchOptions = { ...(c.signal ? { signal: c.signal } : {}), ...(onBatch ? { onBatch } : {}) };

  for (let i = 0; i < decision.candidates.length; i++) {
    const candidate = decision.candidates[i] as { side: Side; ranOn: Embeddings['ranOn'] };
    try {
      let out: Embeddings;
      if (candidate.side === 'local') {
        const local = ctx.local as LocalEmbedder;
        await local.load(c.signal ? { signal: c.signal } : {});
        out = assemble(await local.embed(c.request, o), route, undefined);
      } else {
        const { result, redactions } = await runRemote(ctx, c.request, o);
        out = assemble(result, route, redactions);
      }
      ctx.stats.record({
        type: 'finish', reason: 'stop', ranOn: out.ranOn, route,
        usage: { promptTokens: out.promptTokens, completionTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: now() - started },
        ...(out.cost ? { cost: out.cost } : {}), ...(out.redactions ? { redactions: out.redactions } : {}),
      });
      return out;
    } catch (e) {
      if (c.signal?.aborted) throw isEdgewiseError(e) && e.code === 'aborted' ? e : new EdgewiseError('aborted', 'Embedding was aborted by its signal.', { cause: e });
      const last = i === decision.candidates.length - 1;
      if (last || !isEdgewiseError(e) || NO_FAILOVER.has(e.code)) throw e;
      route.failover = { from: candidate.ranOn, code: e.code, message: e.message };
      route.reason = candidate.side === 'local' && !ctx.local?.loaded ? 'local_load_failed' : failoverReason(candidate.side);
      route.detail = `${candidate.side} failed (${e.code}); ${decision.candidates[i + 1]?.side} took over`;
    }
  }
  throw new EdgewiseError('runtime_error', 'No embedding candidate ran; this is a bug in edgewise.');
}
