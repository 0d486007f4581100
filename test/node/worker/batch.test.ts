/**
 * The worker's part batcher (`partBatcher(send, windowMs)`): what the page sees of a
 * request's parts. The first text part and the finish leave at once (time to first token,
 * prompt ends); later text parts leave at most once per window, so a fast decode loop
 * cannot flood the page; nothing is lost, reordered or held past the first part that
 * arrives once the window is over. Time is fake (performance.now and timers together):
 * no real sleeps, the same answers on a loaded machine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendPart } from '../../../src/backends/backend.js';
import { partBatcher } from '../../../src/worker/batch.js';

const text = (n: number): BackendPart => ({ type: 'text', text: `t${n}` });
const finish = (): BackendPart => ({
  type: 'finish',
  reason: 'stop',
  ranOn: 'wasm',
  usage: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 },
});

interface Sent { at: number; parts: BackendPart[] }

/** A batcher whose messages are recorded with the (fake) time they left. */
function recorder(windowMs?: number) {
  const sent: Sent[] = [];
  const push = partBatcher((parts) => sent.push({ at: performance.now(), parts: [...parts] }), windowMs);
  const pushedAt = new Map<BackendPart, number>();
  return {
    sent,
    /** Moves the clock to `at` (running any timers due), then hands the batcher `part`. */
    at(at: number, part: BackendPart) {
      vi.advanceTimersByTime(at - performance.now());
      pushedAt.set(part, performance.now());
      push(part);
    },
    delivered: () => sent.flatMap((s) => s.parts),
    /** When each part left, by identity. */
    leftAt(part: BackendPart): number | undefined {
      return sent.find((s) => s.parts.includes(part))?.at;
    },
    pushedAt: (part: BackendPart) => pushedAt.get(part) ?? NaN,
  };
}

describe('worker part batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the first text part leaves at once, alone', () => {
    const r = recorder(16);
    const first = text(0);
    r.at(1000, first);
    expect(r.sent).toEqual([{ at: 1000, parts: [first] }]);
  });

  it('the finish leaves at once, carrying every part still held, in order', () => {
    const r = recorder(16);
    const parts = [text(0), text(1), text(2), text(3)];
    parts.forEach((p, i) => r.at(100 + i, p));
    const end = finish();
    r.at(104, end);
    const last = r.sent.at(-1);
    expect(last?.at).toBe(104);
    expect(last?.parts.at(-1)).toBe(end);
    expect(r.delivered()).toEqual([...parts, end]);
  });

  it('a request that ends without text sends its finish at once', () => {
    const r = recorder(16);
    const end = finish();
    r.at(50, end);
    expect(r.sent).toEqual([{ at: 50, parts: [end] }]);
  });

  it('a fast decode loop (a part every 0.5 ms for 100 ms): at most one message per 16 ms window after the first, none lost or reordered', () => {
    const r = recorder(16);
    const parts = Array.from({ length: 200 }, (_, i) => text(i));
    parts.forEach((p, i) => r.at(i * 0.5, p));
    const end = finish();
    r.at(100, end);

    expect(r.delivered()).toEqual([...parts, end]);
    for (const p of [...parts, end]) expect(r.delivered().filter((q) => q === p)).toHaveLength(1);
    // Every message but the finish's: none closer than the window to the one before.
    const textMessages = r.sent.filter((s) => !s.parts.some((p) => p.type === 'finish'));
    for (let i = 1; i < textMessages.length; i++) {
      expect(textMessages[i]!.at - textMessages[i - 1]!.at).toBeGreaterThanOrEqual(16);
    }
    // 100 ms of parts: the first message plus at most one per window, plus the finish's.
    expect(r.sent.length).toBeLessThanOrEqual(1 + Math.ceil(100 / 16) + 1);
    // Grouping, not holding: no part waited longer than a window plus one decode step.
    for (const p of parts) expect(r.leftAt(p)! - r.pushedAt(p)).toBeLessThanOrEqual(16 + 0.5);
  });

  it('parts slower than the window each leave at once', () => {
    const r = recorder(16);
    const parts = Array.from({ length: 10 }, (_, i) => text(i));
    parts.forEach((p, i) => r.at(i * 20, p));
    expect(r.sent.map((s) => s.parts)).toEqual(parts.map((p) => [p]));
    expect(r.sent.map((s) => s.at)).toEqual(parts.map((_, i) => i * 20));
  });

  it('a part held inside the window leaves no later than the next part that arrives after the window', () => {
    const r = recorder(16);
    const [a, b, c] = [text(0), text(1), text(2)];
    r.at(0, a);
    r.at(5, b);
    expect(r.delivered()).not.toContain(b);
    r.at(300, c);
    expect(r.delivered()).toEqual([a, b, c]);
    expect(r.leftAt(b)).toBeLessThanOrEqual(300);
    expect(r.leftAt(c)).toBe(300);
  });

  it('the window is a parameter: 50 ms groups what 16 ms would not', () => {
    const r = recorder(50);
    const parts = Array.from({ length: 5 }, (_, i) => text(i));
    [0, 20, 40, 60, 80].forEach((t, i) => r.at(t, parts[i]!));
    // 0 leaves alone; 20 and 40 are inside the window; 60 is past it and carries them.
    expect(r.sent.map((s) => s.at)).toEqual([0, 60]);
    expect(r.delivered()).toEqual(parts.slice(0, 4));
    const end = finish();
    r.at(81, end);
    expect(r.delivered()).toEqual([...parts, end]);
  });

  it('nothing leaves after the finish, however long the clock runs', () => {
    const r = recorder(16);
    r.at(0, text(0));
    r.at(1, text(1));
    r.at(2, finish());
    const count = r.sent.length;
    vi.advanceTimersByTime(10_000);
    expect(r.sent).toHaveLength(count);
  });
});
