/**
 * The transform's hand-back to the worker. Rewriting a large model is seconds of pure
 * computation; run in one piece it would hold the worker, so an abort or `dispose()` sent
 * during a first load would wait for all of it. The transform calls `pace()` between blocks
 * of rows: at most every `sliceMs` it yields to the event loop (where the abort message is
 * handled) and stops with a typed `aborted` error once the load's signal has fired.
 */
import { now } from '../../../clock.js';
import { EdgewiseError } from '../../../errors.js';
import { yieldToEventLoop } from '../yield.js';

export type Pace = () => Promise<void>;

/** What a cancelled rewrite fails with, wherever it stops (between blocks, a read, a write). */
export const rewriteAborted = (): EdgewiseError => new EdgewiseError('aborted', 'Loading was aborted while the weights were being rewritten; nothing of the rewrite was kept.');

/** Short enough that an abort settles well within 100 ms, long enough that yielding costs < 1%. */
const SLICE_MS = 15;

export function pacer(signal?: AbortSignal, sliceMs = SLICE_MS): Pace {
  let last = now();
  const check = (): void => {
    if (signal?.aborted) throw rewriteAborted();
  };
  return async () => {
    check();
    if (now() - last < sliceMs) return;
    await yieldToEventLoop();
    last = now();
    check();
  };
}
