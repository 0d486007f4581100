import { customDecision, decideRoute, type RouteInput, baseline, input } from './inputs.js';
import { describe, expect, it } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';
import { failoverReason, validatePolicy } from '../../../src/route/router.js';
import { POLICIES } from '../../../src/route/vocab.js';

/** The typed error a call throws, or a failure when it throws none. */
function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isEdgewiseError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a throw');
}

describe('customDecision', () => {
  it.each([
    ['local', ['local']],
    ['remote', ['remote']],
    [['local'], ['local']],
    [['remote', 'local'], ['remote', 'local']],
    [['local', 'remote'], ['local', 'remote']],
  ])('accepts %j', (answer, order) => {
    const d = customDecision(answer, baseline('prefer-remote'));
    expect(d.candidates.map((c) => c.side)).toEqual(order);
    expect(d.reason).toBe('custom');
    expect(d.skipped).toEqual([]);
    expect(d.policy).toBe('prefer-remote');
  });

  it('fills ranOn and says what the app chose', () => {
    const d = customDecision(['remote', 'local'], baseline());
    expect(d.candidates).toEqual([{ side: 'remote', ranOn: 'remote' }, { side: 'local', ranOn: 'wasm' }]);
    expect(d.detail).toBe("the app's route() chose remote, then local");
  });

  const cycle: unknown[] = [];
  cycle.push(cycle);
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, '42'],
    ['cloud', '"cloud"'],
    ['Local', '"Local"'],
    [[], '[]'],
    [['local', 'gpu'], '["local", "gpu"]'],
    [{ side: 'local' }, 'an object'],
    [Promise.resolve('local'), 'a promise'],
    [() => 'local', 'a function'],
    [cycle, '[an array]'],
  ])('rejects %s with invalid_policy saying what to return', (answer, shown) => {
    const e = thrown(() => customDecision(answer, baseline()));
    expect(e.code).toBe('invalid_policy');
    expect(e.message).toBe(`route() returned ${shown}: return 'local', 'remote', or an ordered array of distinct sides such as ['local', 'remote'].`);
  });

  it('rejects a side listed twice', () => {
    expect(thrown(() => customDecision(['local', 'remote', 'local'], baseline()))).toEqual({
      code: 'invalid_policy',
      message: `route() returned ["local", "remote", "local"], which lists "local" twice: return 'local', 'remote', or an ordered array of distinct sides such as ['local', 'remote'].`,
    });
  });

  it('rejects a side that is not configured', () => {
    expect(thrown(() => customDecision('remote', input('prefer-local', 'none', 'none')))).toEqual({
      code: 'invalid_policy',
      message: "route() chose 'remote', but no remote endpoint is configured: return 'local', or set `remote` in the engine options.",
    });
    expect(thrown(() => customDecision(['remote', 'local'], input('prefer-local', 'no_local_model', 'online')))).toEqual({
      code: 'invalid_policy',
      message: "route() chose 'local', but no local model is configured: return 'remote', or set `model` in the engine options.",
    });
  });
});

describe('validatePolicy', () => {
  it.each(POLICIES)('returns %s', (p) => {
    expect(validatePolicy(p, 'options.policy')).toBe(p);
  });

  it.each([['prefer_local', '"prefer_local"'], [undefined, 'undefined'], [3, '3'], [{}, 'an object'], [['local-only'], '["local-only"]']])(
    'rejects %j naming where and the four policies',
    (p, shown) => {
      expect(thrown(() => validatePolicy(p, 'request.policy'))).toEqual({
        code: 'invalid_policy',
        message: `request.policy is ${shown}: use 'local-only', 'prefer-local', 'prefer-remote' or 'remote-only'.`,
      });
    },
  );

  it('guards decideRoute against a policy from untyped code', () => {
    const bad = { ...baseline(), policy: 'local-first' } as unknown as RouteInput;
    expect(thrown(() => decideRoute(bad)).code).toBe('invalid_policy');
  });
});

describe('failoverReason', () => {
  it('names the side that failed before its first token', () => {
    expect(failoverReason('local')).toBe('local_failed');
    expect(failoverReason('remote')).toBe('remote_failed');
  });
});
