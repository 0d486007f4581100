/**
 * The three clocks of one HTTP attempt. Each wait on the network goes through
 * {@link Watch.run}; when its limit passes, the attempt's controller is aborted (which
 * cancels the fetch and frees the connection) and the wait rejects with a typed timeout.
 * Only network waits are timed: a slow consumer of the stream is not an idle server.
 */
import { RemoteFailure } from './failure.js';
import type { RemoteTimeouts } from './options.js';

/** Which wait ran out: response headers, the first content, or the gap between chunks. */
export type TimeoutPhase = 'connect' | 'first_byte' | 'idle';

const OPTION: Record<TimeoutPhase, keyof RemoteTimeouts> = { connect: 'connectMs', first_byte: 'firstByteMs', idle: 'idleMs' };
const WHAT: Record<TimeoutPhase, string> = {
  connect: 'sent no response headers',
  first_byte: 'sent no content',
  idle: 'went quiet in the middle of the stream',
};

export class Watch {
  #phase: TimeoutPhase = 'connect';
  /** first_byte is one deadline from the headers on, however many keep-alives arrive. */
  #deadline = 0;
  readonly #limits: RemoteTimeouts;
  readonly #controller: AbortController;
  readonly #url: string;

  constructor(limits: RemoteTimeouts, controller: AbortController, url: string) {
    this.#limits = limits;
    this.#controller = controller;
    this.#url = url;
  }

  /** Headers arrived: from now on the first content must come within `firstByteMs`. */
  headers(): void {
    this.#phase = 'first_byte';
    this.#deadline = performance.now() + this.#limits.firstByteMs;
  }

  /** Content arrived: from now on each read must come within `idleMs`. */
  content(): void {
    this.#phase = 'idle';
  }

  /** Awaits a network step under the current limit; rejects at once when the attempt is aborted. */
  run<T>(step: Promise<T>): Promise<T> {
    const phase = this.#phase;
    const ms = phase === 'first_byte' ? Math.max(0, this.#deadline - performance.now()) : this.#limits[OPTION[phase]];
    const signal = this.#controller.signal;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        // The step still settles later (a read fails once its fetch is aborted); nobody waits for it.
        step.catch(() => undefined);
        return reject(signal.reason);
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        const failure = this.#timeout(phase);
        done();
        reject(failure);
        this.#controller.abort(failure);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      step.then((v) => { done(); resolve(v); }, (e: unknown) => { done(); reject(e); });
    });
  }

  #timeout(phase: TimeoutPhase): RemoteFailure {
    const option = OPTION[phase];
    return new RemoteFailure({
      code: 'remote_timeout',
      message: `${this.#url} ${WHAT[phase]} within ${this.#limits[option]} ms (remote.timeouts.${option}).`,
      retryable: true,
      details: { url: this.#url, phase, timeoutMs: this.#limits[option] },
    });
  }
}
