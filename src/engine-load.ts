/**
 * `engine.load()`: the first local candidate the device can run, loaded (the same chain
 * generate() walks). An explicit load retries a model whose last load failed; only the
 * device rules a candidate out.
 */
import type { BackendLoadOptions, BackendV3 } from './backends/backend.js';
import { EdgewiseError, isEdgewiseError } from './errors.js';
import type { RunContext } from './run/context.js';
import type { ModelInfo } from './types.js';

export async function loadFirst(ctx: RunContext, locals: readonly BackendV3[], o: BackendLoadOptions): Promise<ModelInfo | undefined> {
  if (locals.length === 0) return undefined;
  const caps = await ctx.capabilities();
  let last: unknown;
  for (const b of locals) {
    await b.refresh?.().catch(() => undefined);
    const s = b.supports(caps);
    if (!s.ok && s.code !== 'load_failed') continue;
    try {
      return await b.load(o);
    } catch (e) {
      last = e;
      if (o.signal?.aborted || (isEdgewiseError(e) && e.code === 'disposed')) throw e;
    }
  }
  if (last) throw last;
  throw new EdgewiseError('no_backend', 'None of the local models can run on this device (see engine.capabilities()); pass another model or a remote endpoint.');
}
