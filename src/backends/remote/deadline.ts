/**
 * `remote.timeouts.totalMs`: one deadline for one request, over every attempt, every
 * wait between attempts, `token()` and the whole body or stream. The per-attempt clocks
 * (`timeouts.ts`) catch a server that stops; this catches one that never stops: a stream
 * that sends text (or empty events) for ever, or a server that keeps asking for retries.
 * It is wall-clock time, so a consumer that reads slowly spends it too.
 */
import { RemoteFailure } from './failure.js';
import { follow } from './signals.js';

export class Deadline {
  /** Aborted with the caller's reason when the caller aborts, or with a `remote_timeout` failure at the deadline. */
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #ends: number;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #unfollow: () => void;

  constructor(totalMs: number, url: string, caller: AbortSignal | undefined) {
    this.signal = this.#controller.signal;
    this.#ends = performance.now() + totalMs;
    this.#unfollow = follow(caller, this.#controller);
    this.#timer = setTimeout(() => {
      // Not retryable: the time for this request, retries included, is gone.
      this.#controller.abort(new RemoteFailure({
        code: 'remote_timeout',
        message: `${url} did not finish within ${totalMs} ms (remote.timeouts.totalMs).`,
        retryable: false,
        details: { url, phase: 'total', timeoutMs: totalMs },
      }));
    }, totalMs);
  }

  remainingMs(): number {
    return Math.max(0, this.#ends - performance.now());
  }

  /** Stops the clock; calling it twice is fine. */
  close(): void {
    clearTimeout(this.#timer);
    this.#unfollow();
  }
}
