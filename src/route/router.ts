/**
 * The router: for one request, the ordered candidates to try, why, and what was passed
 * over. Pure (no I/O, no globals, no clocks), so every rule below is pinned down by
 * Node tests with plain objects, and a decision costs microseconds.
 *
 * The engine imports the whole `route/` folder through this file.
 */
import { EdgewiseError } from '../errors.js';
import type { RouteDecision, RouteInput, Side } from './decision.js';
import { localBlock } from './local-signals.js';
import { decision, split, type Split } from './ranking.js';
import { invalidPolicy } from './validate.js';
import type { SkippedBackend } from '../types.js';
import type { RouteReason } from './vocab.js';

export { SIDES } from './decision.js';
export type { Candidate, CandidateFacts, RouteDecision, RouteInput, Side } from './decision.js';
export { estimateLocalMs, estimatePromptTokens } from './estimate.js';
export { customDecision, validatePolicy } from './validate.js';

const NO_LOCAL = 'no local model is configured';
const NO_REMOTE = 'no remote endpoint is configured';
const OFFLINE = 'the browser is offline (navigator.onLine is false)';

/**
 * Ranks every candidate for one request under `input.policy`: who runs, in which order,
 * and why the others were passed over.
 *
 * @example
 * const d = decideRoute({ policy: 'prefer-local', maxTokens: 256, promptChars: 812, candidates: [onnx, remote], capabilities: caps });
 * for (const c of d.candidates) { ... } // try in order; move on only on a failure before the first token
 */
export function decideRoute(input: RouteInput): RouteDecision {
  const policy = input.policy;
  switch (policy) {
    case 'local-only':
      return localOnly(input, split(input));
    case 'remote-only':
      return remoteOnly(input, split(input));
    case 'prefer-local':
      return preferLocal(input, split(input));
    case 'prefer-remote':
      return preferRemote(input, split(input));
    default: {
      // Reachable from plain JavaScript; the engine validates, but a typed error beats undefined.
      const unknown: never = policy;
      throw invalidPolicy(unknown, 'RouteInput.policy');
    }
  }
}

/**
 * The reason recorded when `failed` failed before its first token and the next candidate
 * took over.
 *
 * @example
 * route.reason = failoverReason('local'); // 'local_failed'
 */
export function failoverReason(failed: Side): RouteReason {
  switch (failed) {
    case 'local':
      return 'local_failed';
    case 'remote':
      return 'remote_failed';
    default: {
      const unknown: never = failed;
      throw new EdgewiseError('invalid_option', `failoverReason() got ${String(unknown)}: expected 'local' or 'remote'.`, { details: { option: 'side' } });
    }
  }
}

/**
 * The app insisted on the device, so capacity signals do not move the request: the local
 * backend then fails with its own typed error (quota, context, load), which says more
 * than a routing refusal would. The signal still goes into `detail` for the logs.
 */
function localOnly(input: RouteInput, s: Split): RouteDecision {
  if (s.locals.length === 0) {
    const [reason, why] = localAbsence(s);
    return decision(input.policy, [], reason, `the local-only policy needs a local model, and ${why}`, localSkips(s));
  }
  const block = localBlock(s.locals[0]!.facts, input);
  const detail = block ? `the local-only policy tries the local model although ${block.detail}` : 'the local-only policy allows the local model only';
  return decision(input.policy, s.tryable, 'local_only', detail, s.localUnfit);
}

/** The remote backend reports its own typed errors (offline, auth), so no signal is checked here. */
function remoteOnly(input: RouteInput, s: Split): RouteDecision {
  if (!s.remote) {
    const [reason, why] = remoteAbsence(s);
    return decision(input.policy, [], reason, `the remote-only policy needs a remote endpoint, and ${why}`, [skipRemote(reason, why)]);
  }
  return decision(input.policy, [s.remote], 'remote_only', 'the remote-only policy sends every request to the remote endpoint', []);
}

/**
 * Local first: the local candidates no signal rules out, in the app's order, then the
 * remote as failover. With none usable the remote serves; with no remote, the local ones
 * are still tried, because their own typed error (quota_exceeded, context_overflow…)
 * tells the app more than `no_backend` would, and a conservative signal may be wrong.
 * Being offline does not change this policy: the remote reports that itself, typed.
 */
function preferLocal(input: RouteInput, s: Split): RouteDecision {
  const checked = s.locals.map((e) => ({ e, block: localBlock(e.facts, input) }));
  const usable = checked.filter((c) => c.block === undefined).map((c) => c.e);
  const blockedSkips = checked.flatMap((c) => (c.block ? [{ ranOn: c.e.facts.ranOn, reason: c.block.reason, detail: c.block.detail }] : []));
  const remoteUnfit = s.remoteUnfit ? [skipRemote(s.remoteUnfit.reason, s.remoteUnfit.detail)] : [];
  const unfit = [...s.localUnfit, ...remoteUnfit];
  const passed = [...s.localUnfit, ...blockedSkips, ...remoteUnfit];
  if (usable.length > 0) {
    const failover = s.remote ? 'the remote is the failover' : `${remoteAbsence(s)[1]} as failover`;
    return decision(input.policy, s.remote ? [...usable, s.remote] : usable, 'local_preferred', `the local model can serve; ${failover}`, passed);
  }
  const first = checked.find((c) => c.block)?.block;
  const [reason, why] = first ? [first.reason, first.detail] : localAbsence(s);
  if (s.remote) return decision(input.policy, [s.remote], reason, `${why}, so the remote serves`, first ? passed : localSkips(s));
  const [, noRemote] = remoteAbsence(s);
  if (!first) return decision(input.policy, [], reason, `${why} and ${noRemote}`, [...localSkips(s), skipRemote(...remoteAbsence(s))]);
  return decision(input.policy, s.tryable, reason, `${why}, but ${noRemote}, so the local model is tried anyway`, unfit);
}

/**
 * Remote first while the browser is online, the local candidates behind it as failover,
 * except those whose last load failed (a second failure would only add delay). Offline or
 * without a remote, the local ones serve; the remote goes into `skipped` with why.
 * `online` is trusted only when false: MDN notes `navigator.onLine` false means offline,
 * while true does not promise a working connection (the remote then fails over to local).
 */
function preferRemote(input: RouteInput, s: Split): RouteDecision {
  if (s.remote && input.capabilities.online) {
    const healthy = s.locals.filter((e) => e.facts.loadFailed === undefined);
    const why = s.locals.length === 0 ? `${NO_LOCAL} as failover`
      : healthy.length === 0 ? 'the local model failed to load, so there is no failover'
      : 'the local model is the failover';
    return decision(input.policy, [s.remote, ...healthy], 'remote_preferred', `the remote is preferred; ${why}`, s.localUnfit);
  }
  const [reason, why] = s.remote ? ['offline', OFFLINE] as const : remoteAbsence(s);
  const remoteSkip = skipRemote(reason, why);
  if (s.locals.length > 0) return decision(input.policy, s.tryable, reason, `${why}, so the local model serves`, [...s.localUnfit, remoteSkip]);
  return decision(input.policy, [], reason, `${why} and ${localAbsence(s)[1]}`, [remoteSkip, ...localSkips(s)]);
}

/** Why no remote can serve: it is unfit for the request, or none is configured. */
function remoteAbsence(s: Split): [RouteReason, string] {
  return s.remoteUnfit ? [s.remoteUnfit.reason, s.remoteUnfit.detail] : ['no_remote', NO_REMOTE];
}

/** Why no local candidate can serve: every one is unfit for the request, or none is configured. */
function localAbsence(s: Split): [RouteReason, string] {
  const first = s.localUnfit[0];
  return first ? [first.reason, first.detail] : ['no_local_model', NO_LOCAL];
}

function localSkips(s: Split): SkippedBackend[] {
  return s.localUnfit.length > 0 ? s.localUnfit : [{ ranOn: 'wasm', reason: 'no_local_model', detail: NO_LOCAL }];
}

function skipRemote(reason: RouteReason, detail: string): SkippedBackend {
  return { ranOn: 'remote', reason, detail };
}
