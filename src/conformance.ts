/**
 * `edgewise/conformance`: the suite every BackendV3 passes, whatever thread it runs on:
 * the declared spec, the stream's shape, exactly one `finish`, abort within one step,
 * typed errors, the next call works, `unload` twice is fine; and, where the backend
 * declares them, embed, structured output, tool calls and warnings. Runner-agnostic:
 * vitest, mocha or jest inject their own `describe` and `it`. The project runs it on every
 * backend it ships; an app runs it on its own (docs/backend-contract.md).
 * @example
 * import { backendContract } from 'edgewise/conformance';
 * backendContract('my backend', { describe, it, make: () => createMyBackend(), longRequest: { prompt: 'Once upon a time', maxTokens: 32, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1, stop: [], includeTokenIds: false, startedAt: performance.timeOrigin + performance.now() } });
 */
import type { BackendPart, BackendRequest, BackendV3, EmbedRequest } from './backends/backend.js';
import { isEdgewiseError } from './errors.js';
import { RAN_ON } from './route/vocab.js';
import { validateOutput, validateToolArguments } from './structured/validate.js';

export interface ContractHarness {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => Promise<void>) => void;
  /** A fresh backend; called once per test. */
  make: () => BackendV3 | Promise<BackendV3>;
  /** A request that yields several text parts (at least 4) when not aborted; absent for an embed-only backend. */
  longRequest?: BackendRequest;
  /** A request the backend must refuse with this typed error code. */
  badRequest?: { request: BackendRequest; code: string };
  /** For a backend with `embed`: texts to embed (at least 2). */
  embedRequest?: EmbedRequest;
  /** For a backend that declares response formats: requests whose output must validate. */
  structured?: BackendRequest[];
  /** For a backend that declares tools: a request with `toolChoice` 'required' or a named tool. */
  toolRequest?: BackendRequest;
  /** Runs before the tool request (e.g. scripting a test server's answer). */
  beforeTools?: () => Promise<void>;
  /** Called after each test (e.g. to dispose a worker). */
  cleanup?: (b: BackendV3) => Promise<void>;
  /** Max ms from abort() to the end of the stream. Default 1000 (one decode step, loosely: the machine is shared). */
  abortWithinMs?: number;
}

const SETTINGS = ['temperature', 'topK', 'topP', 'repetitionPenalty', 'seed', 'stop', 'includeTokenIds'];
const FORMATS = ['json_schema', 'json_object', 'regex'];

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`contract: ${message}`);
}

async function collect(parts: AsyncIterable<BackendPart>): Promise<BackendPart[]> {
  const out: BackendPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

function checkShape(parts: BackendPart[], what: string): void {
  const finishes = parts.filter((p) => p.type === 'finish');
  check(finishes.length === 1, `${what}: exactly one finish part (got ${finishes.length})`);
  check(parts.at(-1)?.type === 'finish', `${what}: the finish part comes last`);
  const f = finishes[0];
  check(f?.type === 'finish' && (RAN_ON as readonly string[]).includes(f.ranOn), `${what}: finish.ranOn is one of ${RAN_ON.join(', ')}`);
  check(f.usage.promptTokens >= 0 && f.usage.completionTokens >= 0 && f.usage.totalMs >= 0, `${what}: usage numbers are non-negative`);
  const firstOutput = parts.findIndex((p) => p.type === 'text' || p.type === 'tool-call');
  const lastWarning = parts.map((p) => p.type).lastIndexOf('warning');
  check(firstOutput === -1 || lastWarning < firstOutput, `${what}: warnings come before any output`);
  for (const p of parts) if (p.type === 'text') check(typeof p.text === 'string' && p.text.length > 0, `${what}: text parts are non-empty strings`);
  for (const p of parts) if (p.type === 'warning') check(typeof p.warning.message === 'string' && ['unsupported_setting', 'degraded'].includes(p.warning.code), `${what}: a warning has a known code and a message`);
}

const generator = (b: BackendV3): NonNullable<BackendV3['generate']> => {
  check(typeof b.generate === 'function', 'generate() exists');
  return b.generate.bind(b);
};

function generationSuite(h: ContractHarness, long: BackendRequest, withBackend: (body: (b: BackendV3) => Promise<void>) => () => Promise<void>): void {
  const abortWithin = h.abortWithinMs ?? 1000;

  h.it('streams text parts and ends with exactly one finish', withBackend(async (b) => {
    await b.load();
    const parts = await collect(generator(b)(long));
    checkShape(parts, 'a whole request');
    check(parts.filter((p) => p.type === 'text').length >= 2, 'several text parts');
    const f = parts.at(-1);
    check(f?.type === 'finish' && (f.reason === 'stop' || f.reason === 'length'), 'finish reason stop or length');
  }));

  h.it('an abort ends the stream promptly with an abort finish and no text after it; the next call works', withBackend(async (b) => {
    await b.load();
    const controller = new AbortController();
    const parts: BackendPart[] = [];
    let abortedAt = 0;
    let afterAbort = 0;
    for await (const p of generator(b)(long, { signal: controller.signal })) {
      parts.push(p);
      if (abortedAt && p.type === 'text') afterAbort++;
      if (p.type === 'text' && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const ms = performance.now() - abortedAt;
    checkShape(parts, 'an aborted request');
    const f = parts.at(-1);
    check(f?.type === 'finish' && f.reason === 'abort', `finish reason abort (got ${f?.type === 'finish' ? f.reason : 'none'})`);
    check(afterAbort === 0, `no text after the abort (${afterAbort})`);
    check(ms < abortWithin, `ended ${ms.toFixed(0)} ms after the abort (limit ${abortWithin})`);
    checkShape(await collect(generator(b)(long)), 'the call after an abort');
  }));

  h.it('an already-aborted signal yields only an abort finish', withBackend(async (b) => {
    await b.load();
    const parts = await collect(generator(b)(long, { signal: AbortSignal.abort() }));
    check(parts.length === 1 && parts[0]?.type === 'finish' && parts[0].reason === 'abort', 'one abort finish');
  }));

  h.it('leaving the loop early cancels the request and the next call works', withBackend(async (b) => {
    await b.load();
    for await (const p of generator(b)(long)) if (p.type === 'text') break;
    checkShape(await collect(generator(b)(long)), 'the call after a break');
  }));

  if (h.badRequest) {
    const bad = h.badRequest;
    h.it(`refuses a bad request with a typed ${bad.code} error, then works`, withBackend(async (b) => {
      await b.load();
      let code = 'no error';
      try {
        await collect(generator(b)(bad.request));
      } catch (e) {
        code = isEdgewiseError(e) ? e.code : `untyped ${String(e)}`;
      }
      check(code === bad.code, `error code ${bad.code} (got ${code})`);
      checkShape(await collect(generator(b)(long)), 'the call after an error');
    }));
  }

  h.it('unload twice is fine, and it loads and runs again after', withBackend(async (b) => {
    await b.load();
    await b.unload();
    await b.unload();
    await b.load();
    checkShape(await collect(generator(b)(long)), 'after unload and load');
  }));
}

function featureSuite(h: ContractHarness, withBackend: (body: (b: BackendV3) => Promise<void>) => () => Promise<void>): void {
  for (const [i, request] of (h.structured ?? []).entries()) {
    const format = request.responseFormat;
    h.it(`structured output ${i + 1} (${format?.type}): the output validates`, withBackend(async (b) => {
      check(format !== undefined && b.capabilities.responseFormats.includes(format.type), `the backend declares ${format?.type}`);
      await b.load();
      const parts = await collect(generator(b)(request));
      checkShape(parts, 'a structured request');
      const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      validateOutput(text, format);
    }));
  }

  if (h.toolRequest) {
    const request = h.toolRequest;
    h.it('tool calls: a request that requires a call gets tool-call parts whose arguments validate, and finish reason tool-calls', withBackend(async (b) => {
      check(b.capabilities.tools, 'the backend declares tools');
      await b.load();
      await h.beforeTools?.();
      const parts = await collect(generator(b)(request));
      checkShape(parts, 'a tool request');
      const calls = parts.filter((p) => p.type === 'tool-call');
      check(calls.length >= 1, 'at least one tool-call part');
      for (const c of calls) {
        check(c.type === 'tool-call' && typeof c.id === 'string' && c.id.length > 0, 'a call has an id');
        validateToolArguments(request.tools ?? [], c.name, c.arguments);
      }
      const f = parts.at(-1);
      check(f?.type === 'finish' && f.reason === 'tool-calls', `finish reason tool-calls (got ${f?.type === 'finish' ? f.reason : 'none'})`);
    }));
  }

  if (h.embedRequest) {
    const request = h.embedRequest;
    h.it('embeds: one finite vector per text, all of one length, in input order', withBackend(async (b) => {
      check(typeof b.embed === 'function', 'embed() exists');
      await b.load();
      const r = await b.embed(request);
      check(r.vectors.length === request.texts.length, `one vector per text (${r.vectors.length} for ${request.texts.length})`);
      check(r.vectors.every((v) => v.length === r.vectors[0]?.length && v.length > 0 && v.every(Number.isFinite)), 'finite vectors of one length');
      check(Array.isArray(r.truncated) && r.promptTokens >= 0 && (RAN_ON as readonly string[]).includes(r.ranOn), 'truncated, promptTokens and ranOn are there');
      const aborted = await b.embed(request, { signal: AbortSignal.abort() }).then(() => 'resolved', (e: unknown) => (isEdgewiseError(e) ? e.code : `untyped ${String(e)}`));
      check(aborted === 'aborted', `an aborted signal rejects with aborted (got ${aborted})`);
    }));
  }
}

export function backendContract(name: string, h: ContractHarness): void {
  const withBackend = (body: (b: BackendV3) => Promise<void>) => async () => {
    const b = await h.make();
    try {
      await body(b);
    } finally {
      await h.cleanup?.(b);
    }
  };

  h.describe(`backend contract: ${name}`, () => {
    h.it('declares the v3 spec: kind, location, capabilities and state', withBackend(async (b) => {
      check(b.specificationVersion === 'v3', 'specificationVersion v3');
      check(typeof b.kind === 'string' && b.kind.length > 0, 'a non-empty kind');
      check(b.location === 'local' || b.location === 'remote', 'location local or remote');
      const c = b.capabilities;
      check(c.sampling.every((s) => SETTINGS.includes(s)), `capabilities.sampling names known settings (${c.sampling.join(', ')})`);
      check(c.responseFormats.every((f) => FORMATS.includes(f)), `capabilities.responseFormats names known formats (${c.responseFormats.join(', ')})`);
      check(typeof c.tools === 'boolean', 'capabilities.tools is a boolean');
      check((RAN_ON as readonly string[]).includes(b.state.ranOn) && typeof b.state.loaded === 'boolean', 'state.ranOn and state.loaded');
      check(typeof b.generate === 'function' || typeof b.embed === 'function', 'it generates or embeds');
    }));

    h.it('supports() answers synchronously without loading', withBackend(async (b) => {
      const s = b.supports({ threads: false, cores: 1, storageManager: false, online: true });
      check(typeof s === 'object' && typeof s.ok === 'boolean', 'a support answer');
      if (!s.ok) check(typeof s.code === 'string' && typeof s.detail === 'string', 'a no carries a code and a detail');
    }));

    if (h.longRequest) generationSuite(h, h.longRequest, withBackend);
    featureSuite(h, withBackend);
  });
}
