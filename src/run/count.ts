/**
 * `engine.countTokens()`: the prompt's tokens on the first loaded local model that can
 * count (its own tokenizer and chat template, so the number is what a request would
 * take), else the router's deliberately low estimate, marked as one. Never loads a model:
 * counting is for budgeting before a request, and a load is the app's decision.
 */
import type { BackendV3 } from '../backends/backend.js';
import { estimatePromptTokens } from '../route/estimate.js';
import type { CheckedRequest } from '../validate.js';

export async function countTokens(generation: readonly BackendV3[], checked: CheckedRequest, live: () => void): Promise<{ tokens: number; exact: boolean }> {
  live();
  for (const b of generation) {
    if (b.location !== 'local' || !b.state.loaded || !b.countTokens) continue;
    const n = await b.countTokens(checked.request);
    if (n !== undefined) return { tokens: n, exact: true };
  }
  const r = checked.request;
  const text = r.prompt ?? (r.messages ?? []).map((m) => m.content).join('\n');
  return { tokens: estimatePromptTokens(new TextEncoder().encode(text).length), exact: false };
}
