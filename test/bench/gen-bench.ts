/** Generation: edgewise vs transformers.js on the same files, EP and thread count. */
import { AutoModelForCausalLM, AutoTokenizer, BaseStreamer, env } from '@huggingface/transformers';
import { createEngine } from '/dist/edgewise.js';
import type { Engine, FinishPart } from '/dist/edgewise.js';
import { type BenchConfig, log, median, modelSpec, now, range, round } from './util.js';

export interface GenRun {
  /** Primary: edgewise's own `usage` (worker clock) / transformers.js streamer timestamps. */
  ttftMs: number | null;
  decodeTokPerSec: number | null;
  completionTokens: number;
  promptTokens: number;
  /** Page-side cross-check: call → first text part (edgewise) / first put (tjs), and (n-1) over first → done. */
  pageTtftMs: number | null;
  pageDecodeTokPerSec: number | null;
  totalMs: number;
  stoppedOnEos: boolean;
  finishReason?: string;
}

export async function edgewiseRun(engine: Engine, cfg: BenchConfig): Promise<GenRun & { ids: number[]; text: string; ranOn: string }> {
  let tFirst: number | undefined;
  let finish: FinishPart | undefined;
  let text = '';
  const t0 = now();
  for await (const part of engine.generate({ prompt: cfg.prompt, maxTokens: cfg.maxTokens, temperature: 0, includeTokenIds: true })) {
    if (part.type === 'text') {
      tFirst ??= now();
      text += part.text;
    } else if (part.type === 'finish') {
      finish = part;
    }
  }
  const tEnd = now();
  if (!finish) throw new Error('edgewise: no finish part');
  const u = finish.usage;
  const n = u.completionTokens;
  return {
    ttftMs: round(u.timeToFirstTokenMs),
    decodeTokPerSec: round(u.tokensPerSecond, 2),
    completionTokens: n,
    promptTokens: u.promptTokens,
    pageTtftMs: tFirst === undefined ? null : round(tFirst - t0),
    pageDecodeTokPerSec: tFirst !== undefined && n > 1 ? round(((n - 1) * 1000) / (tEnd - tFirst), 2) : null,
    totalMs: round(tEnd - t0) as number,
    stoppedOnEos: finish.reason === 'stop',
    finishReason: finish.reason,
    ids: finish.tokenIds ?? [],
    text,
    ranOn: `${finish.ranOn} (${finish.route.detail})`,
  };
}

/** Records when each generated token arrives; the first `put` is the prompt. */
class TimingStreamer extends BaseStreamer {
  promptSeen = false;
  times: number[] = [];
  ids: number[] = [];
  override put(value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    this.times.push(now());
    this.ids.push(Number(value[0]?.[0]));
  }
  override end(): void {}
}

export interface TjsHandle {
  run: () => Promise<GenRun & { ids: number[] }>;
  dispose: () => Promise<void>;
  loadMs: number;
  ortVersion: string | null;
}

export async function loadTransformersJs(cfg: BenchConfig, eosIds: ReadonlySet<number>): Promise<TjsHandle> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  // A same-origin *path* (the bench origin relays /fixtures/ to the model server): given an
  // absolute http URL here, transformers.js 4.3 treats local files as remote, and with
  // allowRemoteModels = false its tokenizer file probe says "missing" (tokenizer_config
  // undefined → "Cannot read properties of undefined (reading 'tokenizer_class')").
  env.localModelPath = '/fixtures/';
  const wasm = env.backends.onnx.wasm as { wasmPaths?: string; numThreads?: number; proxy?: boolean };
  wasm.wasmPaths = cfg.tjsWasmPaths;
  wasm.numThreads = cfg.numThreads;
  const t0 = now();
  const tokenizer = await AutoTokenizer.from_pretrained(cfg.model);
  const model = await AutoModelForCausalLM.from_pretrained(cfg.model, { dtype: cfg.dtype, device: 'wasm' });
  const loadMs = now() - t0;
  const ortVersion = (env.backends.onnx as { versions?: Record<string, string> }).versions?.web ?? null;

  async function run(): Promise<GenRun & { ids: number[] }> {
    const streamer = new TimingStreamer();
    const t0 = now();
    const inputs = tokenizer(cfg.prompt);
    const promptTokens = (inputs.input_ids.dims as number[])[1] as number;
    await model.generate({ ...inputs, max_new_tokens: cfg.maxTokens, min_new_tokens: cfg.maxTokens, do_sample: false, streamer: streamer as never });
    const tEnd = now();
    const n = streamer.times.length;
    const first = streamer.times[0];
    const last = streamer.times[n - 1];
    return {
      ttftMs: first === undefined ? null : round(first - t0),
      decodeTokPerSec: first !== undefined && last !== undefined && n > 1 ? round(((n - 1) * 1000) / (last - first), 2) : null,
      completionTokens: n,
      promptTokens,
      pageTtftMs: first === undefined ? null : round(first - t0),
      pageDecodeTokPerSec: first !== undefined && n > 1 ? round(((n - 1) * 1000) / (tEnd - first), 2) : null,
      totalMs: round(tEnd - t0) as number,
      // min_new_tokens suppresses EOS, so this only says whether greedy *wanted* to stop.
      stoppedOnEos: streamer.ids.some((id) => eosIds.has(id)),
      ids: streamer.ids,
    };
  }
  return { run, dispose: async () => { await model.dispose(); }, loadMs: round(loadMs) as number, ortVersion };
}

function summarize<T extends GenRun>(runs: readonly T[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ttftMs: round(median(runs.map((r) => r.ttftMs))),
    decodeTokPerSec: round(median(runs.map((r) => r.decodeTokPerSec)), 2),
    ttftMsRange: range(runs.map((r) => r.ttftMs)),
    decodeTokPerSecRange: range(runs.map((r) => r.decodeTokPerSec)),
    completionTokens: median(runs.map((r) => r.completionTokens)),
    promptTokens: runs[0]?.promptTokens ?? null,
    pageTtftMs: round(median(runs.map((r) => r.pageTtftMs))),
    pageDecodeTokPerSec: round(median(runs.map((r) => r.pageDecodeTokPerSec)), 2),
    ...extra,
    runs: runs.map(({ ids: _ids, text: _text, ...r }: GenRun & { ids?: unknown; text?: unknown }) => r),
  };
}

export async function eosIdsOf(cfg: BenchConfig): Promise<Set<number>> {
  const g = (await (await fetch(`${cfg.modelsUrl}/fixtures/${cfg.model}/generation_config.json`)).json()) as { eos_token_id?: number | number[] };
  const e = g.eos_token_id;
  return new Set(e === undefined ? [] : Array.isArray(e) ? e : [e]);
}

export async function generateBench(cfg: BenchConfig): Promise<{ edgewise: unknown; transformersjs: unknown; ratio: unknown; tokenAgreement: unknown }> {
  const withEw = cfg.parts.includes('generate');
  const withTjs = cfg.parts.includes('transformersjs');
  const eos = await eosIdsOf(cfg);

  let engine: Engine | undefined;
  let ewLoadMs: number | null = null;
  let tjs: TjsHandle | undefined;
  try {
    if (withEw) {
      log('generate: loading edgewise');
      engine = createEngine({ model: modelSpec(cfg), cache: true, numThreads: cfg.numThreads });
      const t0 = now();
      await engine.load();
      ewLoadMs = round(now() - t0);
    }
    if (withTjs) {
      log('generate: loading transformers.js');
      tjs = await loadTransformersJs(cfg, eos);
    }
    log('generate: warm-up runs');
    const ewWarm = engine ? await edgewiseRun(engine, cfg) : undefined;
    const tjsWarm = tjs ? await tjs.run() : undefined;
    const ew: Awaited<ReturnType<typeof edgewiseRun>>[] = [];
    const tj: (GenRun & { ids: number[] })[] = [];
    // Interleaved, so drift on the shared machine hits both alike.
    for (let i = 0; i < cfg.genRuns; i++) {
      const line: string[] = [];
      if (engine) {
        const a = await edgewiseRun(engine, cfg);
        ew.push(a);
        line.push(`edgewise ttft ${a.ttftMs} ms (page ${a.pageTtftMs}), ${a.decodeTokPerSec} tok/s (page ${a.pageDecodeTokPerSec}), ${a.completionTokens} tokens (${a.finishReason})`);
      }
      if (tjs) {
        const b = await tjs.run();
        tj.push(b);
        line.push(`transformers.js ttft ${b.ttftMs} ms, ${b.decodeTokPerSec} tok/s (page ${b.pageDecodeTokPerSec}), ${b.completionTokens} tokens`);
      }
      log(`run ${i + 1}/${cfg.genRuns}: ${line.join(' | ')}`);
    }
    const first = ew[0];
    const edgewise = engine && ewWarm ? summarize(ew, {
      loadMs: ewLoadMs,
      ranOn: first?.ranOn,
      stoppedOnEos: ew.some((r) => r.stoppedOnEos),
      finishReasons: [...new Set(ew.map((r) => r.finishReason))],
      sampleText: first?.text.slice(0, 200),
      warmupRun: (({ ids: _i, text: _t, ...r }) => r)(ewWarm),
    }) : null;
    const transformersjs = tjs && tjsWarm ? summarize(tj, {
      loadMs: tjs.loadMs,
      ortVersion: tjs.ortVersion,
      greedyWantedEos: tj.some((r) => r.stoppedOnEos),
      warmupRun: (({ ids: _i, ...r }) => r)(tjsWarm),
    }) : null;
    let ratio: Record<string, unknown> | null = null;
    let tokenAgreement: Record<string, unknown> | null = null;
    if (edgewise && transformersjs) {
      const r = (k: string): number | null => {
        const a = edgewise[k] as number | null;
        const b = transformersjs[k] as number | null;
        return a && b ? round(a / b, 2) : null;
      };
      ratio = {
        decodeTokPerSec: r('decodeTokPerSec'),
        ttft: r('ttftMs'),
        pageDecodeTokPerSec: r('pageDecodeTokPerSec'),
        pageTtft: r('pageTtftMs'),
        note: 'edgewise / transformers.js: decodeTokPerSec > 1 means edgewise decodes faster; ttft < 1 means edgewise answers sooner',
      };
      // Same weights, same greedy decoding: the ids should agree (up to where edgewise stopped).
      const a = first?.ids ?? [];
      const b = tj[0]?.ids ?? [];
      let same = 0;
      while (same < a.length && same < b.length && a[same] === b[same]) same++;
      tokenAgreement = { edgewiseTokens: a.length, transformersjsTokens: b.length, identicalPrefix: same, edgewiseFirstIds: a.slice(0, 12), transformersjsFirstIds: b.slice(0, 12) };
    }
    return { edgewise, transformersjs, ratio, tokenAgreement };
  } finally {
    await engine?.dispose();
    await tjs?.dispose();
  }
}