/**
 * The base session: one `LanguageModel.create()` that downloads the model when the
 * browser must, and then keeps it resident while requests make sessions of their own.
 * One load is shared by every caller (`SharedLoad`: each may leave with its own signal);
 * progress goes to every caller that asked, and the latest report is replayed to one that
 * joins late (a background download the app only now waits for).
 */
import type { ModelInfo, Progress } from '../../types.js';
import type { BackendLoadOptions } from '../backend.js';
import { abortedLoad, SharedLoad } from '../shared-load.js';
import { fromPromptApi, modelUnavailable, noPromptApi } from './errors.js';
import { DownloadProgress } from './progress.js';
import { askAvailability, type Availability, type LanguageModelSession, type LanguageModelStatic } from './prompt-api.js';
import { contextWindowOf } from './usage.js';

export class BaseSession {
  session: LanguageModelSession | undefined;
  info: ModelInfo | undefined;
  /** True while a load runs that has to download the model. */
  downloading = false;
  private listeners = new Set<(p: Progress) => void>();
  private progress: DownloadProgress | undefined;
  private readonly shared: SharedLoad<ModelInfo>;

  constructor(
    private readonly languageModel: () => LanguageModelStatic | undefined,
    /** Told what the browser said while loading, so the cached availability stays current. */
    private readonly saw: (a: Availability) => void,
  ) {
    this.shared = new SharedLoad<ModelInfo>((signal) => this.open(signal));
  }

  load(o: BackendLoadOptions = {}): Promise<ModelInfo> {
    if (o.onProgress && !this.shared.done) {
      this.listeners.add(o.onProgress);
      const last = this.progress?.last;
      if (last) this.tell(o.onProgress, last);
    }
    return this.shared.join(o.signal);
  }

  unload(): void {
    this.shared.reset();
    const s = this.session;
    this.session = undefined;
    this.info = undefined;
    try {
      s?.destroy();
    } catch { /* already destroyed */ }
  }

  private tell(l: (p: Progress) => void, p: Progress): void {
    // An app's progress bug must not fail the load; it still shows in the console.
    try { l(p); } catch (e) { globalThis.reportError?.(e); }
  }

  private async open(signal: AbortSignal): Promise<ModelInfo> {
    const lm = this.languageModel();
    if (!lm) throw noPromptApi();
    const progress = new DownloadProgress((p) => { for (const l of this.listeners) this.tell(l, p); });
    this.progress = progress;
    try {
      const a = await askAvailability(lm);
      this.saw(a);
      if (a === 'unavailable') throw modelUnavailable();
      if (signal.aborted) throw abortedLoad();
      this.downloading = a !== 'available';
      let session: LanguageModelSession;
      try {
        session = await lm.create({ signal, monitor: (m) => m.addEventListener('downloadprogress', (e) => progress.event(e)) });
      } catch (e) {
        throw signal.aborted ? abortedLoad() : fromPromptApi(e, 'load');
      }
      if (signal.aborted) {
        session.destroy();
        throw abortedLoad();
      }
      progress.done();
      this.saw('available');
      const contextLength = contextWindowOf(session);
      this.session = session;
      this.info = { ranOn: 'builtin', engine: 'builtin', ...(contextLength === undefined ? {} : { contextLength }) };
      return this.info;
    } finally {
      // An attempt that unload() cancelled may end after the next one began: leave that one be.
      if (this.progress === progress) {
        this.downloading = false;
        this.listeners = new Set();
        this.progress = undefined;
      }
    }
  }
}
