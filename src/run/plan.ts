/**
 * One request's plan: the facts of every candidate, the router's ranking (or the app's
 * own `route()`), and the route the finish will report.
 */
import type { BackendV3 } from '../backends/backend.js';
import { EdgewiseError } from '../errors.js';
import { customDecision, decideRoute, type RouteDecision, type Side } from '../route/router.js';
import type { RanOn, Route } from '../types.js';
import type { RunContext } from './context.js';
import { routeInput, type Job } from './facts.js';

export interface Step {
  backend: BackendV3;
  side: Side;
  ranOn: RanOn;
}

export interface Plan {
  /** The route the finish reports; failover fills in `failover` on the way. */
  route: Route;
  steps: Step[];
}

function noCandidate(d: RouteDecision, job: Job): EdgewiseError {
  const details = { policy: d.policy, reason: d.reason, skipped: d.skipped };
  if (d.reason === 'no_remote') {
    return new EdgewiseError('remote_not_configured', `Policy '${d.policy}' needs the remote endpoint, but none is configured: pass createEngine({ remote: { baseURL, model } }) or use a local policy.`, { details });
  }
  if (job.type === 'embed') {
    return new EdgewiseError('no_embedding_model', `No embedding backend can serve this call under policy '${d.policy}': ${d.detail}. Configure an embeddingModel or a remote the policy allows.`, { details });
  }
  return new EdgewiseError('no_backend', `No backend can serve this request under policy '${d.policy}': ${d.detail}. Configure a local model or a remote endpoint the policy allows.`, { details });
}

export async function plan(ctx: RunContext, candidates: readonly BackendV3[], job: Job): Promise<Plan> {
  // Whatever supports() reads (the built-in model's availability) is fresh for this request.
  await Promise.all(candidates.map((b) => b.refresh?.().catch(() => undefined)));
  const caps = await ctx.capabilities();
  const input = await routeInput(ctx, candidates, job, caps);
  const decision = job.type === 'generate' && ctx.route ? customDecision(ctx.route(job.original, caps), input) : decideRoute(input);
  if (decision.candidates.length === 0) throw noCandidate(decision, job);
  const route: Route = { policy: decision.policy, reason: decision.reason, detail: decision.detail };
  if (decision.skipped.length > 0) route.skipped = decision.skipped;
  const steps = decision.candidates.map((c) => ({ backend: candidates[c.index] as BackendV3, side: c.side, ranOn: c.ranOn }));
  return { route, steps };
}
