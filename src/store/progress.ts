/**
 * Progress across the files of one load. What it reports never goes backwards (a restarted
 * download holds its last figure until it catches up) and never reaches the total before
 * a file is finished: its last byte arrived, was checked and, when caching, stored.
 */
import { EdgewiseError } from '../errors.js';
import type { Progress } from '../types.js';

type Source = Progress['source'];

interface FileState {
  /** Size in bytes; 0 while unknown (a host that sends no Content-Length). */
  total: number;
  shown: number;
  done: boolean;
}

/** Progress of one load; `onProgress` receives every figure it reports. */
export class ProgressTracker {
  readonly #files = new Map<string, FileState>();
  readonly #onProgress: ((p: Progress) => void) | undefined;
  #shownTotal = 0;

  constructor(onProgress: ((p: Progress) => void) | undefined) {
    this.#onProgress = onProgress;
  }

  /** Declares a file and its size (0 when unknown). Call before its first update. */
  setTotal(file: string, total: number): void {
    const state = this.#files.get(file);
    if (state) state.total = total;
    else this.#files.set(file, { total, shown: 0, done: false });
  }

  /** Reports `loaded` bytes of `file` (clamped: see the class comment). */
  update(file: string, loaded: number, source: Source): void {
    const state = this.#files.get(file);
    if (!state || state.done) return;
    const cap = state.total > 0 ? state.total - 1 : loaded;
    state.shown = Math.max(state.shown, Math.min(loaded, cap));
    this.#emit(file, state, source);
  }

  /** Marks a file finished; only now do its figures reach its total. */
  finish(file: string, size: number, source: Source): void {
    const state = this.#files.get(file) ?? { total: size, shown: 0, done: false };
    state.total = size;
    state.shown = size;
    state.done = true;
    this.#files.set(file, state);
    this.#emit(file, state, source);
  }

  get totalBytes(): number {
    let sum = 0;
    for (const s of this.#files.values()) sum += s.total;
    return sum;
  }

  #emit(file: string, state: FileState, source: Source): void {
    if (!this.#onProgress) return;
    let loaded = 0;
    let allDone = true;
    for (const s of this.#files.values()) {
      loaded += s.shown;
      allDone &&= s.done;
    }
    const totalBytes = this.totalBytes;
    if (!allDone) loaded = Math.min(loaded, Math.max(0, totalBytes - 1));
    this.#shownTotal = allDone ? totalBytes : Math.max(this.#shownTotal, loaded);
    try {
      this.#onProgress({ file, loaded: state.shown, total: state.total, totalLoaded: this.#shownTotal, totalBytes, source });
    } catch (e) {
      // Typed, so the load does not report a caller's bug as a network or storage failure.
      throw new EdgewiseError('invalid_request', `The onProgress callback threw: ${e instanceof Error ? e.message : String(e)}. Fix the callback; the download is kept and resumes on the next load.`, { cause: e });
    }
  }
}
