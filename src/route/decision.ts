/**
 * What the router reads and what it answers, types only (plus the one array that lists
 * the sides). The engine gathers the facts of every candidate through the backend spec;
 * `router.ts` ranks the whole list without I/O, so every rule is testable in Node with
 * plain objects.
 */
import type { Capabilities } from '../capabilities.js';
import type { SkippedBackend } from '../types.js';
import type { Policy, RanOn, RouteReason } from './vocab.js';

/** The two sides a request can run on; the array feeds validation of custom answers. */
export const SIDES = ['local', 'remote'] as const;
export type Side = (typeof SIDES)[number];

/** What the engine knows about one candidate backend at the moment of the request. */
export interface CandidateFacts {
  side: Side;
  /** Where it runs (before load, the device it will try). */
  ranOn: RanOn;
  /**
   * It cannot take this request whatever the policy: the device lacks what it needs, or the
   * request asks for a format or tools it does not declare. Never tried; always reported.
   */
  unfit?: { reason: RouteReason; detail: string };
  loaded: boolean;
  /** Its last load failed; kept until a load succeeds. */
  loadFailed?: { code: string; message: string };
  /** The weights are fully stored on the device, so the storage quota does not matter. */
  cached?: boolean;
  /** Size of the weights, when known. */
  weightBytes?: number;
  /** Tokens the context window holds, when known. */
  contextLength?: number;
  /** Exact prompt length from its own tokenizer, once loaded. */
  promptTokens?: number;
  /** Speed measured on earlier local requests. */
  speed?: { prefillTokensPerSecond: number; decodeTokensPerSecond: number; samples: number };
}

export interface RouteInput {
  policy: Policy;
  maxTokens: number;
  maxLocalLatencyMs?: number;
  /** UTF-8 bytes of the prompt (or of all messages), for the token estimate before load. */
  promptChars: number;
  /** Local candidates in the app's order of preference, and the remote (at most one), anywhere. */
  candidates: readonly CandidateFacts[];
  capabilities: Capabilities;
}

export interface Candidate {
  /** Position in `RouteInput.candidates`. */
  index: number;
  side: Side;
  ranOn: RanOn;
}

export interface RouteDecision {
  policy: Policy;
  /** In order; a later one runs only if an earlier one fails before its first output. */
  candidates: Candidate[];
  /** Why `candidates[0]` was chosen; with no candidates, why the first the policy allows cannot serve. */
  reason: RouteReason;
  /** One sentence for people, with the numbers (e.g. `prompt ≈ 812 tokens + 1 > context 512`). */
  detail: string;
  /**
   * Candidates passed over for this request, each with why; with no candidates, every
   * side the policy allows (what `no_backend` reports).
   */
  skipped: SkippedBackend[];
}
