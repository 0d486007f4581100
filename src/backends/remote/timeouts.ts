/**
 * The clocks of one HTTP attempt. Each wait on the network goes through
 * {@link Watch.run}; when its limit passes, the attempt's controller is aborted (which
 * cancels the fetch and frees the connection) and the wait rejects with a typed timeout.
 * Only network waits are timed: a slow consumer of the stream is not an idle server.
 * The fourth clock, `totalMs`, is the whole request's (`deadline.ts`).
 */
import { RemoteFailure } from './failure.js';
import type { RemoteTimeouts } from './options.js';

/** Which wait ran out: response headers (`token()` included), the first content, the gap between events, or the whole request. */
export type TimeoutPhase = 'connect' | 'first_byte' | 'idle' | 'total';

type AttemptPhase = Exclude<TimeoutPhase, 'total'>;

const OPTION: Record<AttemptPhase, keyof RemoteTimeouts> = { connect: 'connectMs', first_byte: 'firstByteMs', idle: 'idleMs' };
const WHAT: Record<AttemptPhase, string> = {
  connect: 'sent no response headers',
  first_byte: 'sent no content',
  idle: 'went quiet in the middle of the stream',
};

/**
 * Each phase has a budget of network-wait time, spent across reads and reset only by
 * progress: headers start `first_byte`, content starts `idle`, and in `idle` every data
 * event starts the budget again. SSE comments (`: keep-alive`) reset nothing: proxies and
 * servers send them on a timer whether or not the model is producing anything, so a
 * stream of comments alone would otherwise never end (issue 16). A data event without
 * text (a usage or role chunk) is the server's own progress, so it does count.
 */
export class Watch {
  #phase: AttemptPhase = 'connect';
  /** ms waited on the network in this phase since the last progress. */
  #spent = 0;
  readonly #limits: RemoteTimeouts;
  readonly #controller: AbortController;
  readonly #url: string;

  constructor(limits: RemoteTimeouts, controller: AbortController, url: string) {
    this.#limits = limits;
    this.#controller = controller;
    this.#url = url;
  }

  /** Headers arrived: from now on the first content must come within `firstByteMs` of waiting. */
  headers(): void {
    this.#phase = 'first_byte';
    this.#spent = 0;
  }

  /** Content arrived: from now on each wait for the next must end within `idleMs`. */
  content(): void {
    this.#phase = 'idle';
    this.#spent = 0;
  }

  /** A data event arrived: after the first content, it restarts the idle budget; before, it changes nothing. */
  progress(): void {
    if (this.#phase === 'idle') this.#spent = 0;
  }

  /**
   * Awaits a network step under the current budget; rejects at once when the attempt is
   * aborted. `subject` names who failed to answer in the timeout's message (default: the URL).
   */
  run<T>(step: Promise<T>, subject?: string): Promise<T> {
    const phase = this.#phase;
    const ms = Math.max(0, this.#limits[OPTION[phase]] - this.#spent);
    const signal = this.#controller.signal;
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        // The step still settles later (a read fails once its fetch is aborted); nobody waits for it.
        step.catch(() => undefined);
        return reject(signal.reason);
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.#phase === phase) this.#spent += performance.now() - started;
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        const failure = this.#timeout(phase, subject);
        done();
        reject(failure);
        this.#controller.abort(failure);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      step.then((v) => { done(); resolve(v); }, (e: unknown) => { done(); reject(e); });
    });
  }

  #timeout(phase: AttemptPhase, subject: string | undefined): RemoteFailure {
    const option = OPTION[phase];
    const what = subject === undefined ? `${this.#url} ${WHAT[phase]}` : subject;
    return new RemoteFailure({
      code: 'remote_timeout',
      message: `${what} within ${this.#limits[option]} ms (remote.timeouts.${option}).`,
      retryable: true,
      details: { url: this.#url, phase, timeoutMs: this.#limits[option] },
    });
  }
}
