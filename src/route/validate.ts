/**
 * Checks what the app hands the router: a policy name, or the answer of its own
 * `route(request, capabilities)` function. Both fail with `invalid_policy` and a message
 * that says what to pass instead, since these are the app's own bugs to fix.
 */
import { EdgewiseError } from '../errors.js';
import { SIDES, type Candidate, type RouteDecision, type RouteInput, type Side } from './decision.js';
import { split, type Split } from './ranking.js';
import { POLICIES, type Policy } from './vocab.js';

const POLICY_LIST = "'local-only', 'prefer-local', 'prefer-remote' or 'remote-only'";
const ROUTE_ANSWERS = "return 'local', 'remote', or an ordered array of distinct sides such as ['local', 'remote']";

/** The typed error for a value that is not one of the four policies. */
export function invalidPolicy(p: unknown, where: string): EdgewiseError {
  return new EdgewiseError('invalid_policy', `${where} is ${describe(p)}: use ${POLICY_LIST}.`, {
    details: { where, policies: POLICIES },
  });
}

/**
 * Returns `p` as a {@link Policy}, or throws `invalid_policy` naming `where` and the four
 * policies.
 *
 * @example
 * const policy = validatePolicy(options.policy ?? 'prefer-local', 'options.policy');
 */
export function validatePolicy(p: unknown, where: string): Policy {
  if ((POLICIES as readonly unknown[]).includes(p)) return p as Policy;
  throw invalidPolicy(p, where);
}

/**
 * Turns the answer of an app's `route()` into a decision with reason `'custom'`. The
 * answer is `'local'`, `'remote'` or an ordered, non-empty array of distinct sides; each
 * side must be configured, since the app cannot mean a backend that does not exist.
 * `'local'` stands for every local candidate fit for the request, in the app's order
 * (those whose last load failed last). Anything else throws `invalid_policy` saying what
 * to return.
 *
 * @example
 * const decision = customDecision(options.route(request, caps), input);
 * decision.candidates; // [{ side: 'remote', ranOn: 'remote' }, { side: 'local', ranOn: 'wasm' }] for ['remote', 'local']
 */
export function customDecision(answer: unknown, input: RouteInput): RouteDecision {
  const sides: readonly unknown[] | undefined = typeof answer === 'string' ? [answer] : Array.isArray(answer) ? answer : undefined;
  if (sides === undefined || sides.length === 0) throw badAnswer(answer, '');
  const s = split(input);
  const candidates: Candidate[] = [];
  for (let i = 0; i < sides.length; i++) {
    const side = sides[i];
    if (!(SIDES as readonly unknown[]).includes(side)) throw badAnswer(answer, '');
    if (sides.indexOf(side) !== i) throw badAnswer(answer, `, which lists ${describe(side)} twice`);
    candidates.push(...expand(side as Side, input, s));
  }
  const names = (sides as Side[]).join(', then ');
  const skipped = [...s.localUnfit, ...(s.remoteUnfit ? [{ ranOn: 'remote' as const, ...s.remoteUnfit }] : [])];
  return { policy: input.policy, candidates, reason: 'custom', detail: `the app's route() chose ${names}`, skipped };
}

function expand(side: Side, input: RouteInput, s: Split): Candidate[] {
  const configured = (which: Side): boolean => input.candidates.some((c) => c.side === which);
  switch (side) {
    case 'local':
      if (!configured('local')) throw notConfigured('local', 'no local model is configured', "return 'remote', or set `model`");
      return s.tryable.map((e) => ({ index: e.index, side, ranOn: e.facts.ranOn }));
    case 'remote':
      if (!configured('remote')) throw notConfigured('remote', 'no remote endpoint is configured', "return 'local', or set `remote`");
      return s.remote ? [{ index: s.remote.index, side, ranOn: 'remote' }] : [];
    default: {
      const unknown: never = side;
      throw badAnswer(unknown, '');
    }
  }
}

function badAnswer(answer: unknown, why: string): EdgewiseError {
  return new EdgewiseError('invalid_policy', `route() returned ${describe(answer)}${why}: ${ROUTE_ANSWERS}.`, {
    details: { where: 'route()' },
  });
}

function notConfigured(side: Side, why: string, fix: string): EdgewiseError {
  return new EdgewiseError('invalid_policy', `route() chose '${side}', but ${why}: ${fix} in the engine options.`, {
    details: { where: 'route()', side },
  });
}

/** A short, safe rendering of any value for a message (no JSON.stringify on cycles). */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) {
    const shown = v.slice(0, 4).map((x: unknown) => (Array.isArray(x) ? 'an array' : describe(x)));
    return `[${shown.join(', ')}${v.length > 4 ? ', …' : ''}]`;
  }
  if (typeof v === 'object' && v !== null) return typeof (v as { then?: unknown }).then === 'function' ? 'a promise' : 'an object';
  return String(v);
}
