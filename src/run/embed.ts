/**
 * Runs one embed() call where the router says, like generation: the same policies, the
 * same walk (an embedding is all or nothing, so any failure of one candidate hands over
 * to the next), redaction of what goes remote through the remote's middleware.
 */
import type { BackendV3, EmbedOptions, EmbedResult } from '../backends/backend.js';
import { now } from '../clock.js';
import type { CheckedEmbed } from '../embed/validate.js';
import { EdgewiseError } from '../errors.js';
import type { Embeddings, Route } from '../types.js';
import type { RunContext } from './context.js';
import { walk } from './failover.js';
import { plan } from './plan.js';

const NO_FAILOVER = new Set(['aborted', 'disposed', 'invalid_input', 'invalid_option']);

function assemble(r: EmbedResult, route: Route): Embeddings {
  const out = r.vectors as Embeddings;
  out.truncated = r.truncated;
  out.promptTokens = r.promptTokens;
  out.ranOn = r.ranOn;
  out.model = r.model ?? 'unknown';
  out.route = route;
  if (r.cost) out.cost = r.cost;
  if (r.redactions) out.redactions = r.redactions;
  return out;
}

export async function runEmbed(ctx: RunContext, candidates: readonly BackendV3[], c: CheckedEmbed): Promise<Embeddings> {
  const started = now();
  if (candidates.length === 0) {
    throw new EdgewiseError('no_embedding_model', 'This engine has no embedding model and no remote endpoint: pass createEngine({ embeddingModel: { id, url } }) or a `remote`.');
  }
  const p = await plan(ctx, candidates, { type: 'embed', policy: c.policy });
  const first = p.steps[0];
  const total = c.request.texts.length;
  if (total === 0 || !first) return assemble({ vectors: [], truncated: [], promptTokens: 0, ranOn: first?.ranOn ?? 'wasm', model: first?.backend.kind ?? 'none' }, p.route);
  const onBatch = c.onProgress && ((done: number) => c.onProgress?.({ done, total }));
  const o: EmbedOptions = { ...(c.signal ? { signal: c.signal } : {}), ...(onBatch ? { onBatch } : {}) };
  const walked = walk<EmbedResult>(p, c.signal, NO_FAILOVER, {
    async *run(step) {
      if (!step.backend.embed) throw new EdgewiseError('runtime_error', `The ${step.backend.kind} backend cannot embed; this is a bug in edgewise.`);
      const r = await step.backend.embed(c.request, o);
      // An app's backend need not name its model: its kind stands in.
      yield { ...r, model: r.model ?? step.backend.kind };
    },
    output: () => false,
    aborted: () => { throw new EdgewiseError('aborted', 'Embedding was aborted by its signal.'); },
  });
  for await (const result of walked) {
    const out = assemble(result, p.route);
    ctx.stats.record({
      type: 'finish', reason: 'stop', ranOn: out.ranOn, route: p.route,
      usage: { promptTokens: out.promptTokens, completionTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: now() - started },
      ...(out.cost ? { cost: out.cost } : {}), ...(out.redactions ? { redactions: out.redactions } : {}),
    });
    return out;
  }
  throw new EdgewiseError('runtime_error', 'No embedding candidate ran; this is a bug in edgewise.');
}
