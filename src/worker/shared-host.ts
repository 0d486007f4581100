/**
 * The inference worker as a `SharedWorker`: one per origin, serving every page (tab,
 * window, same-origin iframe) that connects. Pages whose engines run the same models
 * with the same configuration form a group and share one host (`host.ts`): the models
 * load once, and their requests wait in one queue, a lane per page, served in turn.
 *
 * Each page talks to its own face of the group's host over its port, under its own
 * request ids: the face maps them to ids unique in the worker, so an abort from one page
 * can only reach that page's requests. A page that goes (closed, reloaded, disposed its
 * engine) is noticed through a Web Lock it holds while connected: its requests are
 * cancelled; the group's models are released with its last page, and the worker ends
 * with the last group.
 */
import { expose } from 'comlink';
import type { WorkerKind } from '../backends/kind.js';
import { EdgewiseError } from '../errors.js';
import { createHost } from './host.js';
import { endWhenIdle } from './shared-client.js';
import type { WorkerApi, WorkerJoin } from './protocol.js';

interface Group {
  name: string;
  host: WorkerApi;
  pages: Set<Page>;
}

interface Page {
  lane: number;
  group?: Group;
  /** The page's request ids, by its own numbering, to the worker's. */
  ids: Map<number, number>;
  gone: boolean;
}

/** How long a connection may take to hand over its page's channel before it no longer counts. */
const GHOST_MS = 30_000;

type Scope = { onconnect: ((e: MessageEvent) => void) | null; close(): void };

/** How long a page's lock may take to show up in the lock table after its hello (measured: a few ms). */
const LOCK_SHOWS_WITHIN_MS = 2_000;

/**
 * Runs `gone` once the page no longer holds `lock`. The page asked for it before its
 * hello, but the request may not have reached the lock table yet: asked for now, the
 * worker could be granted it first and take a live page for gone. So it waits until the
 * lock is listed (held or pending), then queues behind it.
 */
async function watch(lock: string, gone: () => void): Promise<void> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return;
  const until = Date.now() + LOCK_SHOWS_WITHIN_MS;
  for (;;) {
    const { held = [], pending = [] } = await locks.query();
    if ([...held, ...pending].some((l) => l.name === lock)) break;
    if (Date.now() > until) return gone();
    await new Promise((r) => setTimeout(r, 10));
  }
  await locks.request(lock, gone);
}

export function serveShared(kinds: Readonly<Record<string, WorkerKind>>, scope: Scope): void {
  const groups = new Map<string, Group>();
  /** Worker-wide request id -> the page (lane) it came from. */
  const lanes = new Map<number, number>();
  let nextId = 1;
  let nextLane = 1;

  /** Pages connected and not gone, joined or about to: the worker ends only when none is left. */
  const connected = new Set<Page>();

  function leave(page: Page): void {
    const g = page.group;
    if (page.gone || !g) return;
    page.gone = true;
    connected.delete(page);
    for (const id of page.ids.values()) g.host.abort(id);
    g.pages.delete(page);
    if (g.pages.size > 0) return;
    groups.delete(g.name);
    // The last page of the group: its models go; with the last page, the worker.
    void g.host.unload().finally(() => endWhenIdle(globalThis.navigator?.locks, () => connected.size === 0, () => scope.close()));
  }

  function face(page: Page): WorkerApi {
    const host = (): WorkerApi => {
      if (!page.group || page.gone) throw new EdgewiseError('worker_crashed', 'This page left the shared inference worker; the next call starts afresh.');
      return page.group.host;
    };
    /** The worker's id for the page's request `id` (made on first sight, dropped when it settles). */
    const mine = (id: number): number => {
      let global = page.ids.get(id);
      if (global === undefined) {
        global = nextId++;
        page.ids.set(id, global);
        lanes.set(global, page.lane);
      }
      return global;
    };
    function tracked<T>(id: number, call: (global: number) => Promise<T>): Promise<T> {
      const global = mine(id);
      const done = (): void => { page.ids.delete(id); lanes.delete(global); };
      const p = call(global);
      p.then(done, done);
      return p;
    }
    return {
      hello(lockName: string, join?: WorkerJoin): Promise<void> {
        if (join && !page.group) {
          const g = groups.get(join.group) ?? { name: join.group, host: createHost(kinds, (id) => lanes.get(id) ?? 0), pages: new Set<Page>() };
          groups.set(join.group, g);
          g.pages.add(page);
          page.group = g;
          void watch(join.tabLock, () => leave(page));
        }
        return host().hello(lockName);
      },
      load: (role, model, o, onProgress) => tracked(o.requestId, (id) => host().load(role, model, { ...o, requestId: id }, onProgress)),
      generate: (r, onParts) => tracked(r.requestId, (id) => host().generate({ ...r, requestId: id }, onParts)),
      embed: (r, onBatch) => tracked(r.requestId, (id) => host().embed({ ...r, requestId: id }, onBatch)),
      findSpans: (r) => tracked(r.requestId, (id) => host().findSpans({ ...r, requestId: id })),
      abort(id: number): void {
        const global = page.ids.get(id);
        if (global !== undefined) host().abort(global);
      },
      // Other pages may be using the models: only the group's last page releases them.
      unload: async (role) => { if (page.group?.pages.size === 1) await host().unload(role); },
      idle: () => host().idle(),
      // The page that asks holds the connect turn until the worker is gone (shared-client.ts, endShared).
      shutdown: () => scope.close(),
      countTokens: (r) => host().countTokens(r),
      info: () => host().info(),
      loseDeviceForTests: () => host().loseDeviceForTests(),
      cacheList: (m) => host().cacheList(m),
      cacheUsage: () => host().cacheUsage(),
      cacheHas: (m) => host().cacheHas(m),
      cacheDelete: (m) => host().cacheDelete(m),
      cacheClear: () => host().cacheClear(),
    };
  }

  scope.onconnect = (e: MessageEvent) => {
    const port = e.ports[0];
    if (!port) return;
    const page: Page = { lane: nextLane++, ids: new Map(), gone: false };
    connected.add(page);
    // Said at once: the page hands its own channel only to a worker that answers (see
    // shared-client.ts), and that channel arrives as the first message.
    port.postMessage(null);
    // A page that asked again elsewhere never sends it: it does not hold the worker open.
    const ghost = setTimeout(() => connected.delete(page), GHOST_MS);
    port.onmessage = (m: MessageEvent) => {
      clearTimeout(ghost);
      port.onmessage = null;
      const own = m.ports[0];
      if (own) expose(face(page), own);
    };
  };
}
