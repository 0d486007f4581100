/** Engines for the AI SDK face's tests, and a recording wrapper that keeps each request and finish the face hands the engine. */
import type { Engine, FinishPart, GenerateRequest } from '/dist/edgewise.js';

export interface Recorded {
  requests: GenerateRequest[];
  finishes: FinishPart[];
}

/**
 * `engine` with `generate()` recorded: the request as the face built it, and the finish part
 * the engine ended it with. `onText` runs on each text part before the face sees it (a test
 * aborts there, so the abort lands mid-answer whatever the machine's speed).
 */
export function recording(engine: Engine, onText?: () => void): { engine: Engine; seen: Recorded } {
  const seen: Recorded = { requests: [], finishes: [] };
  async function* generate(request: GenerateRequest) {
    seen.requests.push(request);
    for await (const p of engine.generate(request)) {
      if (p.type === 'finish') seen.finishes.push(p);
      else if (p.type === 'text') onText?.();
      yield p;
    }
  }
  const wrapped = new Proxy(engine, {
    get(target, key) {
      if (key === 'generate') return generate;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { engine: wrapped, seen };
}
