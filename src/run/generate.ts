/**
 * Runs one generate request along the plan: warnings first, then text and tool calls as
 * they come, then one finish that says where it ran and why. A candidate that fails
 * before its first output hands over to the next (`failover.ts`).
 */
import type { BackendPart, BackendV3 } from '../backends/backend.js';
import { abortedFinish } from '../backends/parts.js';
import { EdgewiseError } from '../errors.js';
import type { FinishPart, GenerateRequest, Part, Route, Warning } from '../types.js';
import type { CheckedRequest } from '../validate.js';
import type { RunContext } from './context.js';
import { walk } from './failover.js';
import { OutputCheck } from './output.js';
import { plan, type Step } from './plan.js';
import { checkStructure } from './structure.js';
import { settingWarnings } from './warnings.js';

// Errors that are the caller's doing, not the backend's: another backend would fail the same way.
const NO_FAILOVER = new Set(['aborted', 'disposed', 'invalid_request', 'invalid_signal', 'invalid_output', 'invalid_response_format', 'invalid_tools']);

async function* runOne(ctx: RunContext, step: Step, c: CheckedRequest, route: Route, stream: boolean): AsyncGenerator<Part> {
  const backend: BackendV3 = step.backend;
  if (!backend.generate) throw new EdgewiseError('runtime_error', `The ${backend.kind} backend cannot generate; this is a bug in edgewise.`);
  const warnings: Warning[] = settingWarnings(c.explicit, backend);
  // Sent with the backend's first part: one that fails before it (and hands over) warned of nothing.
  let unsent = warnings.length;
  const check = new OutputCheck(c.request);
  const parts: AsyncIterable<BackendPart> = backend.generate(c.request, { stream, ...(c.signal ? { signal: c.signal } : {}) });
  for await (const p of parts) {
    for (; unsent > 0; unsent--) yield { type: 'warning', warning: warnings[warnings.length - unsent] as Warning };
    switch (p.type) {
      case 'warning':
        warnings.push(p.warning);
        yield p;
        break;
      case 'text':
        check.push(p.text);
        yield p;
        break;
      case 'tool-call':
        yield check.toolCall(p);
        break;
      case 'finish': {
        const { fallback, redactions, ...rest } = p;
        if (fallback) {
          route.failover = fallback;
          route.reason = 'local_failed';
          route.detail = `${fallback.from} failed before the first token (${fallback.code}); ${rest.ranOn} took over`;
        }
        const gaveUp = backend.state.skipped;
        if (gaveUp?.length) route.skipped = [...(route.skipped ?? []), ...gaveUp];
        check.finish(p.reason);
        const finish: FinishPart = { ...rest, route };
        if (warnings.length > 0) finish.warnings = warnings;
        // A remote answer always says what redaction did, `{}` when it was off.
        if (redactions || backend.location === 'remote') finish.redactions = redactions ?? {};
        ctx.stats.record(finish);
        yield finish;
        return;
      }
      default: {
        const never: never = p;
        throw new EdgewiseError('runtime_error', `A backend sent an unknown part ${JSON.stringify(never)}.`);
      }
    }
  }
  throw new EdgewiseError('runtime_error', 'A backend ended its stream without a finish part; this is a bug in edgewise.');
}

export async function* runGenerate(ctx: RunContext, candidates: readonly BackendV3[], shaped: CheckedRequest, original: GenerateRequest, stream: boolean): AsyncGenerator<Part, void, undefined> {
  const c = checkStructure(shaped);
  const p = await plan(ctx, candidates, { type: 'generate', checked: c, original });
  yield* walk<Part>(p, c.signal, NO_FAILOVER, {
    run: (step) => runOne(ctx, step, c, p.route, stream),
    output: (part) => part.type === 'text' || part.type === 'tool-call',
    aborted: (step) => {
      const finish: FinishPart = { ...abortedFinish(c.request.startedAt, step.ranOn), route: p.route };
      ctx.stats.record(finish);
      return finish;
    },
  });
}
