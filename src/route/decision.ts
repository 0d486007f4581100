/**
 * What the router reads and what it answers, types only (plus the one array that lists
 * the sides). The engine gathers the facts; `router.ts` turns them into a decision
 * without I/O, so every rule is testable in Node with plain objects.
 */
import type { Capabilities } from '../capabilities.js';
import type { SkippedBackend } from '../types.js';
import type { Policy, RanOn, RouteReason } from './vocab.js';

/** The two sides a request can run on; the array feeds validation of custom answers. */
export const SIDES = ['local', 'remote'] as const;
export type Side = (typeof SIDES)[number];

/** What the engine knows about its local model at the moment of the request. */
export interface LocalFacts {
  /** The engine has a local model. */
  configured: boolean;
  /** Where the local model runs (`'wasm'` today). */
  ranOn: RanOn;
  loaded: boolean;
  /** Its last load failed; kept until a load succeeds. */
  loadFailed?: { code: string; message: string };
  /** The weights are fully in IndexedDB, so the storage quota does not matter. */
  cached?: boolean;
  /** Size of the weights, when known. */
  weightBytes?: number;
  /** Tokens the context window holds, when known. */
  contextLength?: number;
  /** Exact prompt length from the real tokenizer, once the model is loaded. */
  promptTokens?: number;
  /** UTF-8 bytes of the prompt (or of all messages), for the estimate before load. */
  promptChars: number;
  /** Speed measured on earlier local requests. */
  speed?: { prefillTokensPerSecond: number; decodeTokensPerSecond: number; samples: number };
}

export interface RouteInput {
  policy: Policy;
  maxTokens: number;
  maxLocalLatencyMs?: number;
  local: LocalFacts;
  remote: { configured: boolean };
  capabilities: Capabilities;
}

export interface Candidate {
  side: Side;
  ranOn: RanOn;
}

export interface RouteDecision {
  policy: Policy;
  /** In order; a later one runs only if an earlier one fails before its first token. */
  candidates: Candidate[];
  /** Why `candidates[0]` was chosen; with no candidates, why the first side the policy allows cannot serve. */
  reason: RouteReason;
  /** One sentence for people, with the numbers (e.g. `prompt ≈ 812 tokens + 1 > context 512`). */
  detail: string;
  /**
   * The sides the policy ranks ahead of `candidates[0]`, each with why it was passed
   * over; with no candidates, every side the policy allows (what `no_backend` reports).
   */
  skipped: SkippedBackend[];
}
