/**
 * One chat request over its attempts. It retries what failed before the caller saw any
 * output (text or a tool call), never after: a retry then would repeat or contradict what
 * the user already read. An endpoint that refuses `json_schema` gets one more attempt at
 * once, with `json_object` and the schema in a system message, and the answer says so.
 */
import type { RemotePrices } from '../../config-types.js';
import type { FinishReason, WarningPart } from '../../types.js';
import type { BackendFinishPart, BackendPart, BackendRequest, GenerateOptions } from '../backend.js';
import { requestBody } from './body.js';
import { exchange } from './exchange.js';
import { RemoteFailure } from './failure.js';
import { Meter } from './finish.js';
import { degradedWarning, formatPlan, isSchemaRefusal } from './response-format.js';
import type { Transport } from './transport.js';
import type { WireUsage } from './wire.js';

export interface ChatContext {
  transport: Transport;
  /** `{baseURL}/chat/completions`. */
  url: string;
  model: string;
  prices: RemotePrices | undefined;
  /** Names a tool call the server sent without an id. */
  toolCallId: () => string;
}

/** Warnings, text and tool calls, then exactly one finish; failures are typed errors. */
export async function* chat(ctx: ChatContext, request: BackendRequest, options: GenerateOptions = {}): AsyncGenerator<BackendPart, void, undefined> {
  const { signal, stream = true } = options;
  const { transport, url } = ctx;
  const meter = new Meter(request.startedAt, transport.now);
  let format = formatPlan(request);
  const warnings: WarningPart[] = [];
  const finish = (reason: FinishReason, usage?: WireUsage): BackendFinishPart => {
    const part = meter.finish(reason, usage, ctx.prices);
    if (format !== undefined) part.metadata = { remote: { responseFormat: format.sent } };
    return part;
  };
  // Warnings wait for the first part of an answer, so an attempt that fails leaves none behind.
  function* said(part: BackendPart): Generator<BackendPart, void, undefined> {
    yield* warnings.splice(0);
    yield part;
  }
  const toolNames = request.tools?.map((t) => t.name) ?? [];
  const deadline = transport.begin(url, signal);
  let sent = 0;
  try {
    for (let retries = 0; ;) {
      if (signal?.aborted) return yield* said(finish('abort'));
      const body = JSON.stringify(requestBody(ctx.model, request, stream, format));
      const attempt = transport.open(url, deadline.signal);
      sent += 1;
      let failure: RemoteFailure;
      try {
        const headers = await attempt.headers();
        const items = exchange({ url, headers, body, stream, fetch: transport.fetch, signal: attempt.signal, watch: attempt.watch, now: transport.now, toolCallId: ctx.toolCallId, toolNames });
        for await (const item of items) {
          // Nothing after an abort, even output that already arrived.
          if (signal?.aborted) break;
          if (item.type === 'end') return yield* said(finish(item.reason, item.usage));
          meter.output();
          yield* said(item);
        }
        if (signal?.aborted) return yield* said(finish('abort'));
        // Unreachable: exchange() ends with an `end` item or throws.
        throw new RemoteFailure({ code: 'remote_protocol_error', message: `${url}: the answer ended without an end.`, retryable: false });
      } catch (e) {
        // Leaving the loop early or an abort cancels the fetch; so does this, before we wait.
        attempt.close();
        if (signal?.aborted) return yield* said(finish('abort'));
        if (!(e instanceof RemoteFailure)) throw e;
        failure = e.sent(attempt.secrets());
      } finally {
        attempt.close();
      }
      // Another try of the same body would be refused again; this one spends no retry.
      if (!meter.started && format?.sent === 'json_schema' && isSchemaRefusal(failure)) {
        warnings.push(degradedWarning(url, failure));
        format = formatPlan(request, true);
        continue;
      }
      retries += 1;
      if (meter.started || !transport.canRetry(failure, retries)) throw failure.toError(sent, meter.started);
      try {
        await transport.pause(failure, retries, deadline);
      } catch (e) {
        if (signal?.aborted) return yield* said(finish('abort'));
        throw e instanceof RemoteFailure ? e.toError(sent, meter.started) : e;
      }
    }
  } finally {
    deadline.close();
  }
}
