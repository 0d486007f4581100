/**
 * One failover walk for generate and embed: candidates in the plan's order; one that
 * fails before its first output hands over to the next, and the route says what failed
 * and why. Once output reached the caller nothing is spliced from another backend: the
 * error surfaces, typed.
 */
import { EdgewiseError, isEdgewiseError } from '../errors.js';
import { failoverReason } from '../route/router.js';
import type { RouteReason } from '../types.js';
import type { Plan, Step } from './plan.js';

export interface Attempt<T> {
  /** Runs one loaded candidate. */
  run(step: Step): AsyncIterable<T>;
  /** True once `item` has reached the caller: from then on there is no failover. */
  output(item: T): boolean;
  /** What the walk ends with when the caller's signal fired before any output (may throw). */
  aborted(step: Step): T;
}

/** Why the next candidate took over from `step`, which failed with `e`. */
function reasonFor(step: Step, e: EdgewiseError, loaded: boolean): RouteReason {
  if (e.code === 'context_overflow') return 'context_overflow';
  if (step.side === 'local' && !loaded) return 'local_load_failed';
  return failoverReason(step.side);
}

export async function* walk<T>(plan: Plan, signal: AbortSignal | undefined, noFailover: ReadonlySet<string>, attempt: Attempt<T>): AsyncGenerator<T, void, undefined> {
  const { steps, route } = plan;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    let started = false;
    let loaded = false;
    try {
      await step.backend.load(signal ? { signal } : {});
      loaded = true;
      for await (const item of attempt.run(step)) {
        if (attempt.output(item)) started = true;
        yield item;
      }
      return;
    } catch (e) {
      if (signal?.aborted && !started) {
        yield attempt.aborted(step);
        return;
      }
      const next = steps[i + 1];
      if (started || !next || !isEdgewiseError(e) || noFailover.has(e.code)) throw e;
      // Before the first output nothing reached the caller: the next candidate takes over.
      route.failover = { from: step.ranOn, code: e.code, message: e.message };
      route.reason = reasonFor(step, e, loaded);
      route.detail = `${step.ranOn} failed before its first output (${e.code}); ${next.ranOn} took over`;
    }
  }
  throw new EdgewiseError('runtime_error', 'No candidate ran; this is a bug in edgewise.');
}
