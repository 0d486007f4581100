/**
 * The `monitor` of `create()` (explainer, "Download progress"): `downloadprogress`
 * ProgressEvents whose `loaded` is a fraction and `total` is 1 (no byte counts: the spec
 * hides the model's size), with `loaded: 0` first and `loaded: 1` last, even when nothing
 * had to be downloaded.
 */
import type { Progress } from '../../index.js';
import type { CreateMonitor } from './types.js';

class Monitor extends EventTarget implements CreateMonitor {
  #handler: ((event: ProgressEvent) => void) | null = null;
  get ondownloadprogress(): ((event: ProgressEvent) => void) | null {
    return this.#handler;
  }
  // An event handler attribute: setting it replaces the previous handler, null removes it.
  set ondownloadprogress(h: ((event: ProgressEvent) => void) | null) {
    if (this.#handler) this.removeEventListener('downloadprogress', this.#handler as EventListener);
    this.#handler = typeof h === 'function' ? h : null;
    if (this.#handler) this.addEventListener('downloadprogress', this.#handler as EventListener);
  }
}

export interface ProgressReporter {
  /** For `engine.load({ onProgress })`. */
  onProgress: (p: Progress) => void;
  /** `loaded: 1`, once, when the model is ready. */
  done(): void;
  /** No more events (an aborted or destroyed create). */
  stop(): void;
}

/**
 * Calls the app's monitor callback with a fresh monitor, fires `loaded: 0`, then fractions
 * of the bytes loaded (network or cache), rising, below 1 until `done()`.
 */
export function startMonitor(callback: ((m: CreateMonitor) => void) | undefined): ProgressReporter {
  const monitor = new Monitor();
  let last = -1;
  let stopped = false;
  const fire = (loaded: number): void => {
    if (stopped || loaded <= last) return;
    last = loaded;
    monitor.dispatchEvent(new ProgressEvent('downloadprogress', { lengthComputable: true, loaded, total: 1 }));
  };
  callback?.(monitor);
  fire(0);
  return {
    onProgress(p) {
      if (!(p.totalBytes > 0)) return;
      // Never 1 before the load resolves: the weights still have to open after the last byte.
      fire(Math.min(p.totalLoaded / p.totalBytes, 0.999));
    },
    done() {
      fire(1);
      stopped = true;
    },
    stop() {
      stopped = true;
    },
  };
}
