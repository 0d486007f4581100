/** Shared by the privacy browser suites (issue 16): one request through the public API, pastes, where detection ran. */
import type { Engine, FinishPart } from '/dist/edgewise.js';

/** The user-timing entry of the latest detection (the SDK keeps only that one); `detail.where` is `'page'` or `'worker'`. */
export const DETECT = 'edgewise:redaction-detect';

export const whereDetected = (): string[] =>
  performance.getEntriesByName(DETECT).map((e) => String((e as PerformanceMeasure).detail?.where));

/** About `chars` characters of pasted contact lines, each with two distinct valid phone numbers. */
export function phonePaste(chars: number): string {
  let out = '';
  for (let i = 0; out.length < chars; i++) {
    const n = String(i % 1000).padStart(3, '0');
    out += `Row ${i}: call +44 20 7946 0${n} or (415) 555-${String(1000 + (i % 9000))} today.\n`;
  }
  return out;
}

/** One user message through `engine.generate`; the echo server's answer and the finish part. */
export async function ask(engine: Engine, content: string, o: { maxTokens?: number; signal?: AbortSignal } = {}): Promise<{ text: string; finish: FinishPart }> {
  let text = '';
  let finish: FinishPart | undefined;
  for await (const p of engine.generate({ messages: [{ role: 'user', content }], maxTokens: o.maxTokens ?? 4000, ...(o.signal ? { signal: o.signal } : {}) })) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'finish') finish = p;
  }
  return { text, finish: finish as FinishPart };
}
