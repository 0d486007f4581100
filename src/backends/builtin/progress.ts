/**
 * The browser's model download as our `Progress`. The Prompt API gives a fraction, not
 * bytes (the spec hides the model's size), so `loaded`/`total` count thousandths of the
 * download: `total` and `totalBytes` are always {@link PROGRESS_SCALE}. A progress bar
 * reading `loaded / total` works; nothing here is a byte count. Like the byte-counting
 * stream of `store/progress.ts`, it never reports 100% before the model is usable:
 * the browser's last event (1.0) comes before `create()` resolves, while the model is
 * still being unpacked and loaded, so events stop at 999 and 1000 follows only `done()`.
 */
import type { Progress } from '../../types.js';
import type { DownloadProgressEventLike } from './prompt-api.js';

/** Thousandths: fine enough for a bar, coarse enough not to look like bytes. */
export const PROGRESS_SCALE = 1000;

/** A 0..1 fraction from either event shape (current: fraction of 1; early Chrome: bytes of total). */
function fraction(e: DownloadProgressEventLike): number {
  const f = typeof e.total === 'number' && e.total > 1 && Number.isFinite(e.total) ? e.loaded / e.total : e.loaded;
  return Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : 0;
}

function at(n: number): Progress {
  return { model: 'builtin', file: 'built-in model', loaded: n, total: PROGRESS_SCALE, totalLoaded: n, totalBytes: PROGRESS_SCALE, source: 'network' };
}

/** One download's progress: monotonic, de-duplicated, and the last one kept for late listeners. */
export class DownloadProgress {
  #last: Progress | undefined;

  constructor(private readonly emit: (p: Progress) => void) {}

  /** The latest report, for a caller that joins a download already under way. */
  get last(): Progress | undefined {
    return this.#last;
  }

  /** A `downloadprogress` event. */
  event(e: DownloadProgressEventLike): void {
    const n = Math.min(PROGRESS_SCALE - 1, Math.floor(fraction(e) * PROGRESS_SCALE));
    if (this.#last && n <= this.#last.loaded) return;
    this.report(n);
  }

  /** `create()` resolved: the model is there. Reports 100% only if a download was reported at all. */
  done(): void {
    if (this.#last && this.#last.loaded < PROGRESS_SCALE) this.report(PROGRESS_SCALE);
  }

  private report(n: number): void {
    this.#last = at(n);
    this.emit(this.#last);
  }
}
