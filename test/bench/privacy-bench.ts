/**
 * Redaction cost (issue 16), in the page: for a 2 KB, 20 KB and 200 KB paste, the time
 * detection alone takes when it runs on the page thread, the time the SDK's detection took
 * where it chose to run it (the page below 8 KB, its worker above; its user-timing entry)
 * and the longest slice of its page-side step, the time redaction adds to a
 * remote request through the public API (redacted minus `redact: false`, interleaved runs
 * against the same local endpoint), and the longest stretch the page's main thread was
 * blocked during the redacted requests (a MessageChannel ping loop: the largest gap
 * between two pings; idle, a gap is well under 1 ms), beside the same figure for the
 * unredacted request (what the request costs the page anyway: JSON, fetch, the stream).
 */
import { createEngine, type Engine } from '/dist/edgewise.js';
import { localFinder } from '../../src/privacy/finder.js';
import { mixedPaste } from '../corpus/pastes.js';
import { type BenchConfig, log, median, now, round } from './util.js';

const SIZES = [2_048, 20_480, 204_800] as const;

/** Largest gap between pings while `run` goes on. */
async function longestBlock<T>(run: () => Promise<T>): Promise<{ result: T; blockMs: number }> {
  const channel = new MessageChannel();
  let last = now();
  let worst = 0;
  let on = true;
  channel.port1.onmessage = () => {
    const t = now();
    worst = Math.max(worst, t - last);
    last = t;
    if (on) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  try {
    const result = await run();
    return { result, blockMs: worst };
  } finally {
    on = false;
    channel.port1.close();
  }
}

async function request(engine: Engine, text: string): Promise<number> {
  const t0 = now();
  for await (const part of engine.generate({ messages: [{ role: 'user', content: text }], maxTokens: 4 })) void part;
  return now() - t0;
}

export async function privacyBench(cfg: BenchConfig): Promise<unknown> {
  const remote = { baseURL: cfg.remoteUrl, model: 'bench', token: async () => 't', maxRetries: 0 };
  const on = createEngine({ remote, policy: 'remote-only' });
  const off = createEngine({ remote, policy: 'remote-only', redact: false });
  const find = localFinder({});
  const runs = Math.max(5, cfg.genRuns);
  const rows: Record<string, unknown>[] = [];
  for (const bytes of SIZES) {
    const text = mixedPaste(bytes);
    // The first detection of a size runs cold code (V8 has not optimized the detectors yet): reported apart, then warmed.
    const c0 = now();
    await find([text]);
    const coldDetectMs = now() - c0;
    for (let w = 0; w < 20; w++) await find([text]);
    await request(on, text);
    await request(off, text);
    const detect: number[] = [];
    const plain: number[] = [];
    const redacted: number[] = [];
    let blockMs = 0;
    let baseBlockMs = 0;
    const sdkDetect: number[] = [];
    let where = '';
    let slice = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = now();
      await find([text]);
      detect.push(now() - t0);
      // Both sides run under the ping loop, which costs the page some time of its own.
      const base = await longestBlock(() => request(off, text));
      plain.push(base.result);
      baseBlockMs = Math.max(baseBlockMs, base.blockMs);
      const measured = await longestBlock(() => request(on, text));
      redacted.push(measured.result);
      blockMs = Math.max(blockMs, measured.blockMs);
      const detectEntry = performance.getEntriesByName('edgewise:redaction-detect')[0] as PerformanceMeasure | undefined;
      const applyEntry = performance.getEntriesByName('edgewise:redaction-apply')[0] as PerformanceMeasure | undefined;
      sdkDetect.push(detectEntry?.duration ?? NaN);
      where = (detectEntry?.detail as { where?: string } | undefined)?.where ?? where;
      slice = Math.max(slice, (applyEntry?.detail as { longestSliceMs?: number } | undefined)?.longestSliceMs ?? 0);
    }
    const row = {
      bytes,
      pageThreadDetectMs: round(median(detect), 2),
      pageThreadDetectColdMs: round(coldDetectMs, 2),
      // What the SDK did: detection where it chose to run it, and the page-side step's longest slice.
      sdkDetectMs: round(median(sdkDetect), 2),
      detectedIn: where,
      longestApplySliceMs: round(slice, 1),
      addedMs: round((median(redacted) ?? 0) - (median(plain) ?? 0), 2),
      requestMs: round(median(redacted), 2),
      requestUnredactedMs: round(median(plain), 2),
      longestMainThreadBlockMs: round(blockMs, 1),
      longestBlockUnredactedMs: round(baseBlockMs, 1),
      runs,
    };
    log(`privacy ${bytes} B: detection on the page thread ${row.pageThreadDetectMs} ms (first, cold: ${row.pageThreadDetectColdMs} ms), by the SDK ${row.sdkDetectMs} ms in the ${row.detectedIn} (page-side step's longest slice ${row.longestApplySliceMs} ms); redaction adds ${row.addedMs} ms to a request; longest main-thread block ${row.longestMainThreadBlockMs} ms (unredacted: ${row.longestBlockUnredactedMs} ms)`);
    rows.push(row);
  }
  await on.dispose();
  await off.dispose();
  return { sizes: rows, targets: { '2048': '< 1 ms', '20480': '< 8 ms', '204800': '< 60 ms, off the page thread' } };
}
