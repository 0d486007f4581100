/**
 * One local model in the worker, as the page sees it: one load shared by every caller
 * (progress to each that asked), the last load error for the router, and a reset when
 * the worker dies or the model's cache entry is deleted.
 */
import { proxy } from 'comlink';
import type { BackendLoadOptions } from '../backends/backend.js';
import { SharedLoad } from '../backends/shared-load.js';
import { EdgewiseError } from '../errors.js';
import type { Progress } from '../types.js';
import type { WorkerClient } from './client.js';
import { disposedError, type WorkerHandle } from './handle.js';

export type LoadCall<I> = (c: WorkerClient, requestId: number, onProgress: (p: Progress) => void) => Promise<I>;

export class ModelSlot<I> {
  info: I | undefined;
  loadError: EdgewiseError | undefined;
  private listeners = new Set<(p: Progress) => void>();
  private readonly shared: SharedLoad<I>;

  constructor(private readonly handle: WorkerHandle, key: string, loadCall: LoadCall<I>) {
    this.shared = new SharedLoad<I>(async (signal) => {
      const onProgress = proxy((p: Progress) => {
        for (const l of this.listeners) {
          // An app's progress bug must not fail the load; it still shows in the console.
          try { l({ ...p, model: key }); } catch (e) { globalThis.reportError?.(e); }
        }
      });
      try {
        this.info = await handle.request((c, id) => loadCall(c, id, onProgress), signal);
        this.loadError = undefined;
        return this.info;
      } catch (e) {
        // Not the model's fault: a cancelled load, or a worker that died under it (the next
        // call starts a fresh worker and loads again), is not remembered as a failed model.
        const notTheModel = e instanceof EdgewiseError && (e.code === 'aborted' || e.code === 'disposed' || e.code === 'worker_crashed');
        if (!notTheModel) this.loadError = e instanceof EdgewiseError ? e : new EdgewiseError('runtime_error', String(e), { cause: e });
        throw e;
      } finally {
        this.listeners = new Set();
      }
    });
    handle.onDeath(() => this.reset());
    handle.onForget((forgotten) => { if (forgotten === undefined || forgotten === key) this.reset(); });
  }

  get loaded(): boolean {
    return this.shared.done;
  }

  load(o: BackendLoadOptions = {}): Promise<I> {
    if (this.handle.disposed) return Promise.reject(disposedError());
    if (o.onProgress && !this.shared.done) this.listeners.add(o.onProgress);
    return this.shared.join(o.signal);
  }

  reset(): void {
    this.shared.reset();
    this.info = undefined;
  }
}
