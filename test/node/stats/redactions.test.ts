import { describe, expect, it } from 'vitest';
import { StatsRecorder } from '../../../src/stats/stats.js';
import type { FinishPart } from '../../../src/types.js';

const finish = (redactions: FinishPart['redactions']): FinishPart => ({
  type: 'finish',
  reason: 'stop',
  usage: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, totalMs: 2 },
  ranOn: 'remote',
  route: { policy: 'remote-only', reason: 'remote_only', detail: 'remote-only policy' },
  ...(redactions ? { redactions } : {}),
});

describe('stats: redactions', () => {
  it('counts hidden values by type and leaves out unrestored placeholders, which are not values', () => {
    const stats = new StatsRecorder();
    stats.record(finish({ email: 2, phone: 1, unrestored: 5 }));
    stats.record(finish({ secret: 1 }));
    expect(stats.snapshot().byRoute.remote?.redactions).toBe(4);
  });
});
