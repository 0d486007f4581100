/**
 * The `cpu` part's long prompts: time to first token at 68, 512 and 1,024 prompt tokens
 * (BENCH_CPU_PROMPTS), in the speed page, after its decode rounds, with every contender
 * still loaded. Each run asks for 2 tokens (the first one timed; 2 so that every streaming
 * API sends a token before its final message). Runs are interleaved: each round goes
 * through every length, and at each length through every contender, the order rotating.
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import { CORPUS } from '../fixtures/corpus.js';
import { log, median, range, round } from './util.js';

export interface LongPrompt {
  tokens: number;
  text: string;
  ids: number[];
}

export interface TtftRun {
  ttftMs: number | null;
  promptTokens: number | null;
}

export type TtftRunner = (p: LongPrompt) => Promise<TtftRun>;

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Prompts of exactly `n` tokens of the fixture tokenizer: the bench prompt, then the
 * tokenizer's own training corpus (test/fixtures/corpus.ts) repeated, cut where the text
 * re-encodes to the same ids (a pre-token boundary), topped up with " the" (one token each,
 * its own pre-token). So 68 is the bench prompt itself, and every text means the same ids
 * to every contender, whichever side tokenizes it.
 */
export function buildPrompts(tok: Tokenizer, base: string, lengths: readonly number[]): LongPrompt[] {
  const corpus = CORPUS.replace(/\s+/g, ' ').trim();
  let source = base;
  while (tok.encode(source).ids.length < Math.max(...lengths) + 8) source += ` ${corpus}`;
  const all = tok.encode(source).ids;
  const filler = ' the';
  if (tok.encode(filler).ids.length !== 1) throw new Error('long prompts: " the" is not one token in this vocabulary');
  return lengths.map((n) => {
    for (let cut = n; cut > 0; cut--) {
      const head = tok.decode(all.slice(0, cut), { skip_special_tokens: false });
      if (!same(tok.encode(head).ids, all.slice(0, cut))) continue;
      const text = head + filler.repeat(n - cut);
      const ids = tok.encode(text).ids;
      if (ids.length === n) return { tokens: n, text, ids };
    }
    throw new Error(`long prompts: no text of ${n} tokens`);
  });
}

export async function longPromptTtft(runners: Record<string, TtftRunner>, prompts: readonly LongPrompt[], runs: number, tag: string): Promise<Record<string, unknown>> {
  const names = Object.keys(runners);
  const longest = prompts[prompts.length - 1];
  // One untimed run each at the longest prompt: the runtimes grow their buffers for it once.
  if (longest) for (const k of names) await runners[k]!(longest);
  const got: Record<number, Record<string, TtftRun[]>> = {};
  for (const p of prompts) got[p.tokens] = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    const line: string[] = [];
    for (const p of prompts) {
      const order = [...names.slice(i % names.length), ...names.slice(0, i % names.length)];
      for (const k of order) {
        const r = await runners[k]!(p);
        got[p.tokens]![k]!.push(r);
        line.push(`${k}@${p.tokens} ${r.ttftMs}`);
      }
    }
    log(`${tag} long prompts run ${i + 1}/${runs} (ttft ms): ${line.join(' | ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const p of prompts) {
    const at: Record<string, unknown> = {};
    for (const k of names) {
      const rs = got[p.tokens]![k]!;
      at[k] = {
        ttftMs: round(median(rs.map((r) => r.ttftMs))),
        ttftMsRange: range(rs.map((r) => r.ttftMs)),
        // What the contender says it prefilled (null where it does not say).
        promptTokens: rs[0]?.promptTokens ?? null,
        runs: rs.map((r) => r.ttftMs),
      };
    }
    out[String(p.tokens)] = at;
  }
  return out;
}
