/** Small part builders shared by the backends, the worker host and the engine. */
import type { RanOn } from '../types.js';
import type { BackendFinishPart } from './backend.js';
import { now } from '../clock.js';


/** The finish of a request that was aborted before it produced anything. */
export function abortedFinish(startedAt: number, ranOn: RanOn): BackendFinishPart {
  return {
    type: 'finish',
    reason: 'abort',
    ranOn,
    usage: { promptTokens: 0, completionTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: now() - startedAt },
  };
}
