/**
 * The page's hold on the inference worker, shared by every local model of an engine
 * (the generation model and the embedding model live in the same worker). It starts
 * the worker on first use and again after a death, tells the models when it died, tracks
 * requests in flight so dispose() can cancel them, and ends the worker on dispose.
 */
import { EdgewiseError } from '../errors.js';
import { startWorker, type WorkerClient } from './client.js';
import type { HostChoice } from './host-choice.js';
import { endShared } from './shared-client.js';

/** How long dispose() lets the worker finish cancelled requests before ending it. */
const DISPOSE_GRACE_MS = 300;
/** How long a disposed worker may go on with its background cache work (a delete: 20–150 ms measured). */
const IDLE_GRACE_MS = 2000;

export const disposedError = (): EdgewiseError => new EdgewiseError('disposed', 'The engine was disposed; create a new one with createEngine().');

export class WorkerHandle {
  private client: WorkerClient | undefined;
  private ended = false;
  private ids = 1;
  private readonly active = new Set<number>();
  private readonly deathListeners = new Set<() => void>();
  private readonly forgetListeners = new Set<(key: string | undefined) => void>();

  /** `group()`: the shared host's group this page joins (read when the worker starts). */
  constructor(private readonly assetsUrl: string, readonly host: HostChoice = { kind: 'dedicated-worker', reason: '', threads: 1 }, private readonly group: () => string = () => '') {}

  get disposed(): boolean {
    return this.ended;
  }

  /** The live worker, started (again) if needed; throws `disposed` after dispose(). */
  worker(): WorkerClient {
    if (this.ended) throw disposedError();
    if (!this.client || this.client.dead) {
      // The weights and sessions die with a worker: each model loads again on its next call.
      const group = this.host.kind === 'shared-worker' ? this.group() : undefined;
      // A client replaced by restart() dies later: its death is not this engine's news any more.
      const c: WorkerClient = startWorker(this.assetsUrl, () => { if (this.client === c) for (const l of this.deathListeners) l(); }, group);
      this.client = c;
    }
    return this.client;
  }

  onDeath(listener: () => void): void {
    this.deathListeners.add(listener);
  }

  /** `listener(key)` runs when the page forgets a model (its cache entry was deleted; undefined: every model). */
  onForget(listener: (key: string | undefined) => void): void {
    this.forgetListeners.add(listener);
  }

  /** Tells every model on the page that the worker no longer holds `key` (undefined: every model). */
  forget(key?: string): void {
    for (const l of this.forgetListeners) l(key);
  }

  /**
   * Runs one request in the worker under a fresh id: an abort of `signal` is forwarded,
   * dispose() can cancel it, and a dead worker rejects it. Rejects rather than throws.
   */
  async request<T>(op: (c: WorkerClient, requestId: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const c = this.worker();
    const requestId = this.begin();
    const onAbort = (): void => { if (!c.dead) void c.api.abort(requestId); };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await c.guard(op(c, requestId));
    } finally {
      this.end(requestId);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A fresh request id, tracked until end() so dispose() can cancel it. */
  begin(): number {
    const id = this.ids++;
    this.active.add(id);
    return id;
  }

  end(requestId: number): void {
    this.active.delete(requestId);
  }

  /** A plain call (cache management, token counts), starting the worker if needed. */
  call<T>(op: (api: WorkerClient['api']) => Promise<T>): Promise<T> {
    try {
      const c = this.worker();
      return c.guard(op(c.api));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Ends the current worker as if it had died (models reset, calls in flight fail) so the
   * next call starts a fresh one: a runtime whose GPU failed is never reused.
   */
  restart(): void {
    const c = this.client;
    this.client = undefined;
    if (!c || c.dead) return;
    const locks = globalThis.navigator?.locks;
    // A shared worker ends for every page it serves; each notices through its lock and starts afresh.
    if (this.host.kind === 'shared-worker' && locks) void endShared(locks, () => void c.api.shutdown(), c.gone).finally(() => c.terminate());
    else c.terminate();
    for (const l of this.deathListeners) l();
  }

  /** The live worker if one is running, without starting one. */
  running(): WorkerClient | undefined {
    return this.client && !this.client.dead ? this.client : undefined;
  }

  async dispose(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const c = this.client;
    this.client = undefined;
    if (!c || c.dead) return;
    for (const id of this.active) void c.api.abort(id);
    // Cancelled requests get their `abort` finish from the worker (queued behind the
    // aborts); a stuck or dead worker gets no more than the grace period.
    const grace = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
    await Promise.race([c.guard(c.api.unload()).catch(() => undefined), grace(DISPOSE_GRACE_MS)]);
    // Cache work the worker still does in the background (deleting what a cancelled rewrite
    // stored) must end before the worker does, but the caller need not wait for it.
    // (A worker that died meanwhile has a released proxy, which throws: the catch covers it.)
    const idle = Promise.resolve().then(() => c.guard(c.api.idle())).catch(() => undefined);
    void Promise.race([idle, grace(IDLE_GRACE_MS)]).then(() => c.terminate());
  }
}
