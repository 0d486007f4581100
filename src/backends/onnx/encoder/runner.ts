/**
 * Runs one ORT session one call at a time, and lets a caller walk away from a run.
 * ORT cannot stop a run midway, so an abort rejects at once while the run finishes in the
 * background: its outputs are disposed when it lands, and the next run waits for it, since
 * a session takes one run at a time.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../../errors.js';

type Tensors = Readonly<Record<string, Ort.Tensor>>;

/** The typed error an aborted embedding rejects with. */
export function abortError(signal: AbortSignal): EdgewiseError {
  return new EdgewiseError('aborted', 'The embedding request was aborted.', { cause: signal.reason });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

export function disposeAll(tensors: Tensors): void {
  for (const t of Object.values(tensors)) t.dispose();
}

export class SessionRunner {
  /** Settles when the last run started has settled (never rejects). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: Ort.InferenceSession) {}

  /**
   * Runs `feeds` for the one output `fetch` (ORT then copies out only that), and disposes
   * `feeds` once the run has settled. Rejects with `aborted` as soon as `signal` fires.
   */
  run(feeds: Tensors, fetch: string, signal: AbortSignal | undefined): Promise<Tensors> {
    if (signal?.aborted) {
      disposeAll(feeds);
      return Promise.reject(abortError(signal));
    }
    const running = this.tail.then(() => this.session.run(feeds, [fetch]));
    const settle = (): void => disposeAll(feeds);
    this.tail = running.then(settle, settle);
    const checked = running.catch((cause: unknown) => {
      throw new EdgewiseError('runtime_error', `onnxruntime-web failed while embedding: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    });
    if (signal === undefined) return checked;
    return new Promise<Tensors>((resolve, reject) => {
      const onAbort = (): void => {
        running.then(disposeAll, () => undefined);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      checked.then(
        (out) => {
          signal.removeEventListener('abort', onAbort);
          resolve(out);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Waits for any run still in flight (an abandoned one included), then releases the session. */
  async release(): Promise<void> {
    await this.tail;
    await this.session.release();
  }
}
