/** The fault-injecting model server the browser suites rely on: HTTP semantics and each fault. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

interface LogEntry { method: string; path: string; range: string | null; status: number; bytesSent: number; fault: string | null }
interface ModelServer { url: string; close(): Promise<void> }
// Plain .mjs without types: a variable specifier keeps tsc from asking for a declaration.
const serverModule = '../../server/model-server.mjs';
const { startModelServer } = (await import(serverModule)) as { startModelServer(o?: { repoRoot?: string }): Promise<ModelServer> };

let server: ModelServer;
const at = (path: string): string => `${server.url}${path}`;
const bytesOf = async (r: Response): Promise<Uint8Array> => new Uint8Array(await r.arrayBuffer());
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const post = (path: string, body?: unknown): Promise<Response> => fetch(at(path), { method: 'POST', body: body === undefined ? null : JSON.stringify(body) });
const log = async (): Promise<LogEntry[]> => (await fetch(at('/__ctl/log'))).json() as Promise<LogEntry[]>;

beforeAll(async () => { server = await startModelServer(); });
afterAll(() => server.close());
beforeEach(async () => { await post('/__ctl/reset'); });

describe('model server: HTTP semantics', () => {
  it('generates content that is a pure function of size and name, with a stable strong ETag', async () => {
    const [a, b] = await Promise.all([fetch(at('/gen/70001/x.bin')), fetch(at('/gen/70001/x.bin'))]);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-length')).toBe('70001');
    expect(a.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const [x, y] = [await bytesOf(a), await bytesOf(b)];
    expect(same(x, y)).toBe(true);
    const other = await bytesOf(await fetch(at('/gen/70001/y.bin')));
    expect(same(other, x)).toBe(false);
  });

  it('answers single ranges with 206 and Content-Range, and unsatisfiable ones with 416', async () => {
    const full = await bytesOf(await fetch(at('/gen/100000/r.bin')));
    for (const [range, start, end] of [['bytes=99990-', 99990, 99999], ['bytes=3-70000', 3, 70000], ['bytes=5-999999', 5, 99999]] as const) {
      const r = await fetch(at('/gen/100000/r.bin'), { headers: { Range: range } });
      expect(r.status).toBe(206);
      expect(r.headers.get('content-range')).toBe(`bytes ${start}-${end}/100000`);
      expect(same(await bytesOf(r), full.subarray(start, end + 1))).toBe(true);
    }
    expect((await fetch(at('/gen/100000/r.bin'), { headers: { Range: 'bytes=100000-' } })).status).toBe(416);
  });

  it('sends CORS headers for isolated pages, answers preflights with 204, and HEAD without a body', async () => {
    const pre = await fetch(at('/gen/10/a.bin'), { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    const head = await fetch(at('/gen/10/a.onnx'), { method: 'HEAD' });
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    expect(head.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(head.headers.get('access-control-allow-headers')).toContain('Range');
    expect(head.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('content-type')).toBe('application/octet-stream');
    expect(head.headers.get('content-length')).toBe('10');
    expect((await fetch(at('/gen/10/a.json'))).headers.get('content-type')).toBe('application/json');
  });

  it('answers 404 for missing files and paths outside the roots, and serves an HTML page under /html/', async () => {
    expect((await fetch(at('/shared/nope/model.onnx'))).status).toBe(404);
    expect((await fetch(at('/fixtures/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
    const page = await fetch(at('/html/anything/config.json'));
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('serves the shared models folder (skipped when ../shared/models is absent)', async (ctx) => {
    const r = await fetch(at('/shared/stories260K-onnx/config.json'));
    if (r.status === 404) ctx.skip();
    expect(r.status).toBe(200);
    expect((JSON.parse(text(await bytesOf(r))) as { vocab_size: number }).vocab_size).toBe(512);
  });
});

describe('model server: faults and control', () => {
  it('logs every request with range, status, bytes sent and the fault applied', async () => {
    await post('/__ctl/faults', [{ match: 'b.bin', status: 500, times: 1 }]);
    await fetch(at('/gen/50/a.bin'), { headers: { Range: 'bytes=10-' } });
    await fetch(at('/gen/50/b.bin'));
    await fetch(at('/gen/50/b.bin'));
    expect(await log()).toEqual([
      { method: 'GET', path: '/gen/50/a.bin', range: 'bytes=10-', status: 206, bytesSent: 40, fault: null },
      { method: 'GET', path: '/gen/50/b.bin', range: null, status: 500, bytesSent: expect.any(Number) as number, fault: 'status=500' },
      { method: 'GET', path: '/gen/50/b.bin', range: null, status: 200, bytesSent: 50, fault: null },
    ]);
  });

  it('cuts the socket after `cutAfter` body bytes; HEAD does not use up a body-only rule', async () => {
    await post('/__ctl/faults', [{ match: 'c.bin', cutAfter: 1000, times: 1 }]);
    expect((await fetch(at('/gen/5000/c.bin'), { method: 'HEAD' })).status).toBe(200);
    await expect(fetch(at('/gen/5000/c.bin')).then((r) => r.arrayBuffer())).rejects.toThrow();
    expect((await bytesOf(await fetch(at('/gen/5000/c.bin')))).length).toBe(5000);
    expect((await log()).map((e) => [e.method, e.bytesSent])).toEqual([['HEAD', 0], ['GET', 1000], ['GET', 5000]]);
  });

  it('flips bytes at absolute file offsets, also inside a range', async () => {
    const clean = await bytesOf(await fetch(at('/gen/4096/d.bin')));
    await post('/__ctl/faults', [{ match: 'd.bin', corrupt: { offset: 2000, length: 2 } }]);
    const part = await bytesOf(await fetch(at('/gen/4096/d.bin'), { headers: { Range: 'bytes=1000-' } }));
    const diff = [...part].flatMap((v, i) => (v === clean[1000 + i] ? [] : [1000 + i]));
    expect(diff).toEqual([2000, 2001]);
  });

  it('applies ignoreRange, etag, html and status faults', async () => {
    await post('/__ctl/faults', [{ match: 'e.bin', ignoreRange: true, etag: '"v2"' }, { match: 'h.bin', html: true }, { match: 'g.bin', status: 404 }]);
    const r = await fetch(at('/gen/300/e.bin'), { headers: { Range: 'bytes=100-' } });
    expect([r.status, r.headers.get('etag'), (await bytesOf(r)).length]).toEqual([200, '"v2"', 300]);
    const h = await fetch(at('/gen/300/h.bin'));
    expect([h.status, h.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(text(await bytesOf(h))).toMatch(/^<!doctype html>/);
    expect((await fetch(at('/gen/300/g.bin'))).status).toBe(404);
  });

  it('throttles with bytesPerSecond and delays headers with delayMs', async () => {
    await post('/__ctl/faults', [{ match: 's.bin', bytesPerSecond: 100_000, delayMs: 100 }]);
    const t0 = performance.now();
    await bytesOf(await fetch(at('/gen/30000/s.bin')));
    expect(performance.now() - t0).toBeGreaterThan(300);
  });

  it('drops every connection while offline (and logs it), until turned off or reset', async () => {
    await post('/__ctl/offline', { on: true });
    await expect(fetch(at('/gen/10/o.bin'))).rejects.toThrow();
    expect((await log()).map((e) => e.fault)).toEqual(['offline']);
    await post('/__ctl/offline', { on: false });
    expect((await fetch(at('/gen/10/o.bin'))).status).toBe(200);
    await post('/__ctl/offline', { on: true });
    await post('/__ctl/reset');
    expect((await fetch(at('/gen/10/o.bin'))).status).toBe(200);
    expect(await log()).toHaveLength(1);
  });

  it('rejects malformed rules with 400 and a reason', async () => {
    const r = await post('/__ctl/faults', [{ match: 'x', cutafter: 5 }]);
    expect([r.status, await r.text()]).toEqual([400, 'faults[0]: unknown option(s) cutafter']);
    expect((await post('/__ctl/faults', { match: 'x' })).status).toBe(400);
  });
});
