/**
 * One load of a web-llm engine: construct it with our progress mapper, `reload()` the
 * model, and come back with the engine ready or a typed error. An abort (or an
 * `onProgress` that throws) rejects at once and unloads the engine, which aborts web-llm's
 * own fetches; nothing is reported after that.
 */
import type { AppConfig } from '@mlc-ai/web-llm';
import { EdgewiseError } from '../../errors.js';
import type { Progress } from '../../types.js';
import { toEdgewiseError } from './failure.js';
import type { WebLLMEngine, WebLLMModule } from './module.js';
import { createProgressMapper } from './progress.js';

export const abortedError = (): EdgewiseError => new EdgewiseError('aborted', 'Loading was aborted.');
const quiet = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

export interface OpenOptions {
  signal: AbortSignal;
  /** The weights' size from the spec, for progress in bytes. */
  bytes: number | undefined;
  onProgress: ((p: Progress) => void) | undefined;
}

export async function openEngine(mod: WebLLMModule, model: { modelId: string; appConfig: AppConfig }, o: OpenOptions): Promise<WebLLMEngine> {
  const { signal } = o;
  if (signal.aborted) throw abortedError();
  let closed = false;
  let fail: (e: EdgewiseError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = (e) => { closed = true; reject(e); }; });
  const onAbort = (): void => fail(abortedError());
  const progress = createProgressMapper(o.bytes, o.onProgress);
  let engine: WebLLMEngine;
  try {
    engine = new mod.MLCEngine({
      appConfig: model.appConfig,
      initProgressCallback: (r) => {
        if (closed) return;
        try {
          progress.report(r);
        } catch (e) {
          fail(new EdgewiseError('invalid_request', `The onProgress callback threw: ${e instanceof Error ? e.message : String(e)}. Fix the callback; web-llm keeps what it has cached.`, { cause: e }));
        }
      },
    });
  } catch (e) {
    throw toEdgewiseError(e, 'load', model.modelId);
  }
  signal.addEventListener('abort', onAbort, { once: true });
  // Through a promise so that a synchronous throw is handled like a rejection.
  const reload = Promise.resolve().then(() => engine.reload(model.modelId));
  try {
    await Promise.race([reload, failed]);
    // web-llm resolves, not rejects, a reload its own unload() aborted.
    if (signal.aborted) throw abortedError();
  } catch (e) {
    closed = true;
    // unload() now aborts web-llm's fetches; once the reload settles, unload again to free
    // anything it finished after the abort.
    void quiet(Promise.resolve().then(() => engine.unload())).then(() => quiet(reload)).then(() => quiet(engine.unload()));
    throw toEdgewiseError(e, 'load', model.modelId);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  closed = true;
  progress.done();
  return engine;
}
