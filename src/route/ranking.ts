/**
 * The candidate list sorted into what every policy reads: the local candidates fit for
 * the request (in the app's order), the remote, and those unfit for it whatever the
 * policy (the device lacks them, or the request asks for a format or tools they lack).
 */
import type { SkippedBackend } from '../types.js';
import type { Candidate, CandidateFacts, RouteDecision, RouteInput } from './decision.js';
import type { Policy, RouteReason } from './vocab.js';

export interface Entry {
  index: number;
  facts: CandidateFacts;
}

export interface Split {
  /** Local candidates fit for the request, in the app's order. */
  locals: Entry[];
  /** The fit locals as they are tried when the policy tries them regardless: healthy first, then the ones whose last load failed. */
  tryable: Entry[];
  /** The configured remote, when it is fit for the request. */
  remote: Entry | undefined;
  /** Local candidates unfit for the request, as `skipped` entries. */
  localUnfit: SkippedBackend[];
  /** Why the remote is unfit for the request, when it is configured but is. */
  remoteUnfit: { reason: RouteReason; detail: string } | undefined;
}

export function split(input: RouteInput): Split {
  const out: Split = { locals: [], tryable: [], remote: undefined, localUnfit: [], remoteUnfit: undefined };
  input.candidates.forEach((facts, index) => {
    if (facts.side === 'remote') {
      if (facts.unfit) out.remoteUnfit = facts.unfit;
      else out.remote ??= { index, facts };
    } else if (facts.unfit) {
      out.localUnfit.push({ ranOn: facts.ranOn, reason: facts.unfit.reason, detail: facts.unfit.detail });
    } else {
      out.locals.push({ index, facts });
    }
  });
  out.tryable = [...out.locals.filter((e) => !e.facts.loadFailed), ...out.locals.filter((e) => e.facts.loadFailed)];
  return out;
}

export function decision(policy: Policy, entries: readonly Entry[], reason: RouteReason, detail: string, skipped: SkippedBackend[]): RouteDecision {
  const candidates: Candidate[] = entries.map((e) => ({ index: e.index, side: e.facts.side, ranOn: e.facts.ranOn }));
  return { policy, candidates, reason, detail, skipped };
}
