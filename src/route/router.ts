/**
 * The router: for one request, the ordered candidates to try, why, and what was passed
 * over. Pure (no I/O, no globals, no clocks), so every rule below is pinned down by
 * Node tests with plain objects, and a decision costs microseconds.
 *
 * The engine imports the whole `route/` folder through this file.
 */
import { EdgewiseError } from '../errors.js';
import type { SkippedBackend } from '../types.js';
import type { Candidate, RouteDecision, RouteInput, Side } from './decision.js';
import { localBlock, type LocalBlock } from './local-signals.js';
import { invalidPolicy } from './validate.js';
import type { Policy, RouteReason } from './vocab.js';

export { SIDES } from './decision.js';
export type { Candidate, LocalFacts, RouteDecision, RouteInput, Side } from './decision.js';
export { estimateLocalMs, estimatePromptTokens } from './estimate.js';
export { customDecision, validatePolicy } from './validate.js';

const NO_LOCAL = 'no local model is configured';
const NO_REMOTE = 'no remote endpoint is configured';
const OFFLINE = 'the browser is offline (navigator.onLine is false)';

/**
 * Decides where one request runs under `input.policy`.
 *
 * @example
 * const d = decideRoute({ policy: 'prefer-local', maxTokens: 256, local, remote: { configured: true }, capabilities: caps });
 * for (const c of d.candidates) { ... } // try in order; move on only on a failure before the first token
 */
export function decideRoute(input: RouteInput): RouteDecision {
  const policy = input.policy;
  switch (policy) {
    case 'local-only':
      return localOnly(input);
    case 'remote-only':
      return remoteOnly(input);
    case 'prefer-local':
      return preferLocal(input);
    case 'prefer-remote':
      return preferRemote(input);
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
function localOnly(input: RouteInput): RouteDecision {
  if (!input.local.configured) {
    return decision(input.policy, [], 'no_local_model', `the local-only policy needs a local model, and ${NO_LOCAL}`, [skipLocal(input, 'no_local_model', NO_LOCAL)]);
  }
  const block = localBlock(input);
  const detail = block ? `the local-only policy tries the local model although ${block.detail}` : 'the local-only policy allows the local model only';
  return decision(input.policy, [local(input)], 'local_only', detail, []);
}

/** The remote backend reports its own typed errors (offline, auth), so no signal is checked here. */
function remoteOnly(input: RouteInput): RouteDecision {
  if (!input.remote.configured) {
    return decision(input.policy, [], 'no_remote', `the remote-only policy needs a remote endpoint, and ${NO_REMOTE}`, [skipRemote('no_remote', NO_REMOTE)]);
  }
  return decision(input.policy, [remote()], 'remote_only', 'the remote-only policy sends every request to the remote endpoint', []);
}

/**
 * Local first when no signal says it cannot serve, the remote behind it as failover.
 * With an unusable local model the remote serves; with no remote, the local model is
 * still tried, because its own typed error (quota_exceeded, context_overflow…) tells
 * the app more than `no_backend` would, and a conservative signal may be wrong. Being
 * offline does not change this policy: the remote reports that itself, typed.
 */
function preferLocal(input: RouteInput): RouteDecision {
  const block = localBlock(input);
  const hasRemote = input.remote.configured;
  if (block === undefined) {
    return hasRemote
      ? decision(input.policy, [local(input), remote()], 'local_preferred', 'the local model can serve; the remote is the failover', [])
      : decision(input.policy, [local(input)], 'local_preferred', `the local model can serve; ${NO_REMOTE} as failover`, []);
  }
  if (hasRemote) return decision(input.policy, [remote()], block.reason, `${block.detail}, so the remote serves`, [skipBlocked(input, block)]);
  if (!input.local.configured) {
    return decision(input.policy, [], 'no_local_model', `${NO_LOCAL} and ${NO_REMOTE}`, [skipBlocked(input, block), skipRemote('no_remote', NO_REMOTE)]);
  }
  return decision(input.policy, [local(input)], block.reason, `${block.detail}, but ${NO_REMOTE}, so the local model is tried anyway`, []);
}

/**
 * Remote first while the browser is online, the local model behind it as failover unless
 * its last load failed (a second failure would only add delay). Offline or without a
 * remote, the local model serves; the remote goes into `skipped` with why. `online`
 * is trusted only when false: MDN notes `navigator.onLine` false means offline, while
 * true does not promise a working connection (the remote then fails over to local).
 */
function preferRemote(input: RouteInput): RouteDecision {
  const hasLocal = input.local.configured;
  if (input.remote.configured && input.capabilities.online) {
    if (hasLocal && input.local.loadFailed === undefined) {
      return decision(input.policy, [remote(), local(input)], 'remote_preferred', 'the remote is preferred; the local model is the failover', []);
    }
    const why = hasLocal ? 'the local model failed to load, so there is no failover' : `${NO_LOCAL} as failover`;
    return decision(input.policy, [remote()], 'remote_preferred', `the remote is preferred; ${why}`, []);
  }
  const reason = input.remote.configured ? 'offline' : 'no_remote';
  const why = input.remote.configured ? OFFLINE : NO_REMOTE;
  if (hasLocal) return decision(input.policy, [local(input)], reason, `${why}, so the local model serves`, [skipRemote(reason, why)]);
  return decision(input.policy, [], reason, `${why} and ${NO_LOCAL}`, [skipRemote(reason, why), skipLocal(input, 'no_local_model', NO_LOCAL)]);
}

function decision(policy: Policy, candidates: Candidate[], reason: RouteReason, detail: string, skipped: SkippedBackend[]): RouteDecision {
  return { policy, candidates, reason, detail, skipped };
}

function local(input: RouteInput): Candidate {
  return { side: 'local', ranOn: input.local.ranOn };
}

function remote(): Candidate {
  return { side: 'remote', ranOn: 'remote' };
}

function skipBlocked(input: RouteInput, block: LocalBlock): SkippedBackend {
  return skipLocal(input, block.reason, block.detail);
}

function skipLocal(input: RouteInput, reason: RouteReason, detail: string): SkippedBackend {
  return { ranOn: input.local.ranOn, reason, detail };
}

function skipRemote(reason: RouteReason, detail: string): SkippedBackend {
  return { ranOn: 'remote', reason, detail };
}
