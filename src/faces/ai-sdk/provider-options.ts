/**
 * `providerOptions.edgewise`: the per-call overrides the engine takes (`policy`,
 * `maxLocalLatencyMs`), checked here so a typo fails the call instead of being ignored.
 */
import { InvalidArgumentError, type SharedV4ProviderOptions } from '@ai-sdk/provider';
import { POLICIES, type Policy } from '../../index.js';

/** The overrides one call may carry under `providerOptions.edgewise`. */
export interface EdgewiseCallOptions {
  /** Where this call may run; overrides the engine's `policy`. */
  policy?: Policy;
  /** Under `prefer-local`, go remote when the estimated local time exceeds this; generation only. */
  maxLocalLatencyMs?: number;
}

const isPolicy = (v: unknown): v is Policy => POLICIES.some((p) => p === v);

/**
 * @param allowed the keys this kind of call accepts (embeddings take no latency budget).
 * @throws InvalidArgumentError naming the option, for an unknown key or a bad value.
 */
export function edgewiseOptions(options: SharedV4ProviderOptions | undefined, allowed: readonly (keyof EdgewiseCallOptions)[]): EdgewiseCallOptions {
  const given = options?.['edgewise'];
  if (given === undefined) return {};
  const bad = (key: string, message: string): InvalidArgumentError => new InvalidArgumentError({ argument: `providerOptions.edgewise${key === '' ? '' : `.${key}`}`, message });
  const unknown = Object.keys(given).filter((k) => !allowed.some((a) => a === k));
  if (unknown.length > 0) throw bad(unknown[0] ?? '', `Unknown edgewise option(s) ${unknown.join(', ')}: this call takes ${allowed.join(' and ')}.`);
  const out: EdgewiseCallOptions = {};
  const { policy, maxLocalLatencyMs } = given;
  if (policy !== undefined) {
    if (!isPolicy(policy)) throw bad('policy', `policy is ${JSON.stringify(policy)}: use one of ${POLICIES.join(', ')}.`);
    out.policy = policy;
  }
  if (maxLocalLatencyMs !== undefined) {
    if (typeof maxLocalLatencyMs !== 'number' || !Number.isFinite(maxLocalLatencyMs) || maxLocalLatencyMs <= 0) {
      throw bad('maxLocalLatencyMs', `maxLocalLatencyMs is ${JSON.stringify(maxLocalLatencyMs)}: a positive number of milliseconds.`);
    }
    out.maxLocalLatencyMs = maxLocalLatencyMs;
  }
  return out;
}
