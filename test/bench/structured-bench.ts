/**
 * The `structured` part: what grammar-constrained decoding costs on the bench model.
 *
 * - `decode`: `engine.generate()` with and without a `responseFormat` (same prompt, greedy),
 *   interleaved, medians of decode ms per step (target: constrained ≤ 1.10×). A constrained
 *   answer cut at `maxTokens` is an `invalid_output` error, so the schema is one whose greedy
 *   answer completes within `maxTokens` (the longest found), and the unconstrained run gets
 *   its token count as `maxTokens`: both make the same number of tokens.
 * - `mask`: the constrained run's token ids replayed in the page through the project's
 *   `GrammarConstraint` with vocab-sized logits: per-step `mask()` and `accept()` ms, the
 *   part of the overhead the grammar itself costs.
 * - `compile`: the 20 schemas of test/corpus/schemas.ts compiled in the page with the
 *   project's compile module on the bench tokenizer (fresh `TokenizerGrammars` per pass), and
 *   through the engine: a schema's first one-token request's time minus its second's (cache hit).
 */
import { createEngine, isEdgewiseError } from '/dist/edgewise.js';
import type { Engine, FinishPart, ResponseFormat } from '/dist/edgewise.js';
import { TokenizerGrammars } from '../../src/backends/onnx/grammar/compile.js';
import { GrammarConstraint } from '../../src/backends/onnx/grammar/constraint.js';
import { grammarVocab, type GrammarVocab } from '../../src/backends/onnx/grammar/vocab.js';
import { loadXGrammar } from '../../src/backends/onnx/grammar/xgrammar.js';
import { SCHEMAS } from '../corpus/schemas.js';
import { type BenchConfig, log, median, modelSpec, now, range, round } from './util.js';

type Json = Record<string, unknown>;

/** BenchConfig's part list predates this part; the name is checked as a plain string. */
export const structuredSelected = (cfg: BenchConfig): boolean => (cfg.parts as readonly string[]).includes('structured');

/** Schemas tried first for the decode comparison (see pickSchema): long bounded outputs. */
const DECODE_CANDIDATES = ['order lines', 'event', 'nested address', '$defs reuse', 'small matrix', 'product'];
/** A short prompt for the engine compile measure: its prefill adds noise to both times. */
const SHORT_PROMPT = 'Answer:';

const formatOf = (name: string): ResponseFormat => {
  const c = SCHEMAS.find((s) => s.name === name);
  if (!c) throw new Error(`no corpus schema named ${name}`);
  // No `name`: the corpus names have spaces, which responseFormat.name refuses.
  return { type: 'json_schema', schema: c.schema };
};

// ---------------------------------------------------------------------------------------
// Compile, directly in the page

interface ModelFiles { tokenizer: Json; tokenizerConfig: Json; eosIds: number[]; vocabSize: number }

async function modelFiles(cfg: BenchConfig): Promise<ModelFiles> {
  const base = `${cfg.modelsUrl}/fixtures/${cfg.model}/`;
  const get = async (f: string): Promise<Json> => (await (await fetch(base + f)).json()) as Json;
  const [tokenizer, tokenizerConfig, config, generation] = await Promise.all([get('tokenizer.json'), get('tokenizer_config.json'), get('config.json'), get('generation_config.json')]);
  const eos = generation.eos_token_id ?? config.eos_token_id;
  return { tokenizer, tokenizerConfig, eosIds: (Array.isArray(eos) ? eos : [eos]) as number[], vocabSize: config.vocab_size as number };
}

async function compileDirect(files: ModelFiles, passes: number): Promise<{ result: Json; grammars: TokenizerGrammars }> {
  let t0 = now();
  await loadXGrammar();
  const xgrammarImportMs = now() - t0;
  t0 = now();
  const vocab: GrammarVocab = grammarVocab(files.tokenizer, files.tokenizerConfig, { eosIds: files.eosIds, vocabSize: files.vocabSize });
  const grammarVocabMs = now() - t0;
  const inits: number[] = [];
  const xgMs: number[][] = SCHEMAS.map(() => []);
  const wallMs: number[][] = SCHEMAS.map(() => []);
  const hitMs: number[][] = SCHEMAS.map(() => []);
  let kept: TokenizerGrammars | undefined;
  for (let p = 0; p < passes; p++) {
    kept?.dispose();
    // A fresh instance per pass: nothing compiled yet, so every schema pays its compile.
    const grammars = await TokenizerGrammars.create(vocab);
    kept = grammars;
    inits.push(grammars.initMs);
    for (const [i, c] of SCHEMAS.entries()) {
      const t = now();
      const compiled = await grammars.compile({ type: 'json_schema', schema: c.schema });
      wallMs[i]!.push(now() - t);
      if (compiled.cacheHit) throw new Error(`${c.name}: a fresh TokenizerGrammars found it compiled`);
      xgMs[i]!.push(compiled.compileMs);
      // What every later request with this schema pays before its matcher: checks, rewrite, lookup.
      const h = now();
      await grammars.compile({ type: 'json_schema', schema: c.schema });
      hitMs[i]!.push(now() - h);
    }
    const total = xgMs.reduce((a, ms) => a + (ms[p] ?? 0), 0);
    log(`structured compile pass ${p + 1}/${passes}: init ${round(grammars.initMs)} ms, 20 schemas ${round(total)} ms`);
  }
  const perSchema = SCHEMAS.map((c, i) => ({ name: c.name, compileMs: round(median(xgMs[i]!)), wallMs: round(median(wallMs[i]!)), cacheHitMs: round(median(hitMs[i]!), 2), compileMsRange: range(xgMs[i]!) }));
  const sorted = perSchema.map((s) => s.compileMs ?? 0).sort((a, b) => a - b);
  const result = {
    vocabSize: vocab.vocabSize,
    vocabType: vocab.vocabType,
    passes,
    tokenizerInit: { xgrammarImportMs: round(xgrammarImportMs), grammarVocabMs: round(grammarVocabMs), initMs: round(median(inits)), initMsRange: range(inits) },
    totalCompileMs: round(sorted.reduce((a, b) => a + b, 0)),
    totalWallMs: round(perSchema.reduce((a, s) => a + (s.wallMs ?? 0), 0)),
    medianCompileMs: round(median(sorted)),
    maxCompileMs: round(sorted[sorted.length - 1]),
    perSchema,
    note: 'compileMs: XGrammar compile (CompiledFormat.compileMs); wallMs: the whole compile() call, schema checks and rewrite included; cacheHitMs: a second compile() of the same schema; medians over passes, each on a fresh TokenizerGrammars',
  };
  return { result, grammars: kept as TokenizerGrammars };
}

// ---------------------------------------------------------------------------------------
// Engine runs

interface Run {
  /** Decode time over the forward steps after the first: the one that samples a stop token counts. */
  msPerStep: number | null;
  /** 1000 / usage.tokensPerSecond: decode time over (tokens − 1), the stop step included. */
  msPerToken: number | null;
  tokPerSec: number | null;
  pageMsPerToken: number | null;
  ttftMs: number | null;
  completionTokens: number;
  finishReason: string;
  totalMs: number;
  ids: number[];
  text: string;
}

/** Thrown by the engine when a constrained answer reaches maxTokens unfinished. */
const cutAtLength = (e: unknown): boolean => isEdgewiseError(e) && e.code === 'invalid_output' && e.details['reason'] === 'length';

async function engineRun(engine: Engine, prompt: string, maxTokens: number, responseFormat?: ResponseFormat): Promise<Run> {
  let tFirst: number | undefined;
  let finish: FinishPart | undefined;
  let text = '';
  const t0 = now();
  for await (const part of engine.generate({ prompt, maxTokens, temperature: 0, includeTokenIds: true, ...(responseFormat ? { responseFormat } : {}) })) {
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
  // usage.tokensPerSecond is (tokens − 1) over the time after the first token (worker clock);
  // a 'stop' finish ran one more step, whose sampled stop token is not counted.
  const decodeMs = u.tokensPerSecond > 0 ? ((n - 1) * 1000) / u.tokensPerSecond : null;
  const steps = n - 1 + (finish.reason === 'stop' ? 1 : 0);
  return {
    msPerStep: decodeMs !== null && steps > 0 ? round(decodeMs / steps, 2) : null,
    msPerToken: u.tokensPerSecond > 0 ? round(1000 / u.tokensPerSecond, 2) : null,
    tokPerSec: round(u.tokensPerSecond, 2),
    pageMsPerToken: tFirst !== undefined && n > 1 ? round((tEnd - tFirst) / (n - 1), 2) : null,
    ttftMs: round(u.timeToFirstTokenMs),
    completionTokens: n,
    finishReason: finish.reason,
    totalMs: round(tEnd - t0) as number,
    ids: finish.tokenIds ?? [],
    text,
  };
}

/**
 * Each schema's first request (compile) against its second (cached), one token each: the
 * engine ends both with an `invalid_output` error (cut at maxTokens), so the page's wall
 * time from the call to that end is what is compared.
 */
async function compileThroughEngine(engine: Engine): Promise<Json> {
  const ttft = async (format?: ResponseFormat): Promise<number> => {
    const t0 = now();
    try {
      await engineRun(engine, SHORT_PROMPT, 1, format);
    } catch (e) {
      if (!format || !cutAtLength(e)) throw e;
    }
    return round(now() - t0) as number;
  };
  const baseline = [await ttft(), await ttft(), await ttft()];
  // The worker's first constrained request also imports XGrammar and builds the tokenizer's info.
  const init: ResponseFormat = { type: 'json_schema', schema: { type: 'boolean' } };
  const initFirst = await ttft(init);
  const initSecond = await ttft(init);
  const perSchema: Json[] = [];
  for (const c of SCHEMAS) {
    const format: ResponseFormat = { type: 'json_schema', schema: c.schema };
    const first = await ttft(format);
    const second = await ttft(format);
    perSchema.push({ name: c.name, firstMs: first, secondMs: second, compileMs: round(first - second) });
  }
  const total = perSchema.reduce((a, s) => a + ((s.compileMs as number | null) ?? 0), 0);
  log(`structured engine compile: first constrained request +${round(initFirst - initSecond)} ms (XGrammar + tokenizer init), 20 schemas ${round(total)} ms`);
  return {
    prompt: SHORT_PROMPT,
    unconstrainedMs: round(median(baseline)),
    firstConstrainedRequest: { firstMs: initFirst, secondMs: initSecond, initMs: round(initFirst - initSecond), schema: init },
    totalCompileMs: round(total),
    perSchema,
    note: 'compileMs = first request\'s wall time − second\'s (maxTokens 1, after the worker\'s XGrammar and tokenizer init, which firstConstrainedRequest.initMs holds); noisy by a prefill\'s jitter',
  };
}

function summarize(runs: readonly Run[]): Json {
  return {
    msPerStep: round(median(runs.map((r) => r.msPerStep)), 2),
    msPerStepRange: range(runs.map((r) => r.msPerStep)),
    msPerToken: round(median(runs.map((r) => r.msPerToken)), 2),
    decodeTokPerSec: round(median(runs.map((r) => r.tokPerSec)), 2),
    pageMsPerToken: round(median(runs.map((r) => r.pageMsPerToken)), 2),
    ttftMs: round(median(runs.map((r) => r.ttftMs))),
    completionTokens: runs.map((r) => r.completionTokens),
    finishReasons: [...new Set(runs.map((r) => r.finishReason))],
    runs: runs.map(({ ids: _ids, text: _text, ...r }) => r),
  };
}

/**
 * The schema whose greedy answer completes with the most tokens within maxTokens: the
 * long candidates first, then the rest, until one uses at least three quarters of it.
 */
async function pickSchema(engine: Engine, cfg: BenchConfig): Promise<{ name: string; run: Run; probes: Json[] }> {
  const order = [...DECODE_CANDIDATES, ...SCHEMAS.map((s) => s.name).filter((n) => !DECODE_CANDIDATES.includes(n))];
  const probes: Json[] = [];
  let best: { name: string; run: Run } | undefined;
  for (const name of order) {
    let run: Run | undefined;
    try {
      run = await engineRun(engine, cfg.prompt, cfg.maxTokens, formatOf(name));
    } catch (e) {
      if (!cutAtLength(e)) throw e;
    }
    probes.push(run ? { schema: name, completionTokens: run.completionTokens, finishReason: run.finishReason, text: run.text.slice(0, 160) } : { schema: name, cutAtMaxTokens: true });
    log(`structured probe "${name}": ${run ? `${run.completionTokens} tokens (${run.finishReason}) ${JSON.stringify(run.text.slice(0, 80))}` : `longer than ${cfg.maxTokens} tokens`}`);
    if (run && (!best || run.completionTokens > best.run.completionTokens)) best = { name, run };
    if (best && best.run.completionTokens >= cfg.maxTokens * 0.75) break;
  }
  if (!best) throw new Error(`no corpus schema's greedy answer completes within ${cfg.maxTokens} tokens`);
  return { ...best, probes };
}

async function decodeComparison(engine: Engine, cfg: BenchConfig): Promise<{ result: Json; schema: string; ids: number[] }> {
  // The probes double as the constrained warm-up.
  const { name: schema, run: picked, probes } = await pickSchema(engine, cfg);
  const format = formatOf(schema);
  const tokens = picked.completionTokens;
  const warm = await engineRun(engine, cfg.prompt, tokens);
  log(`structured: schema "${schema}", ${tokens} tokens; unconstrained warm-up ${warm.completionTokens} tokens (${warm.finishReason})`);
  const free: Run[] = [];
  const constrained: Run[] = [];
  for (let i = 0; i < cfg.genRuns; i++) {
    // Interleaved, the order alternating, so drift on the shared machine hits both alike.
    const pair = i % 2 === 0 ? ['free', 'constrained'] as const : ['constrained', 'free'] as const;
    for (const k of pair) {
      if (k === 'free') free.push(await engineRun(engine, cfg.prompt, tokens));
      else constrained.push(await engineRun(engine, cfg.prompt, cfg.maxTokens, format));
    }
    const f = free[i] as Run;
    const c = constrained[i] as Run;
    log(`structured run ${i + 1}/${cfg.genRuns}: unconstrained ${f.msPerStep} ms/step (${f.completionTokens} tokens, ${f.finishReason}) | constrained ${c.msPerStep} ms/step (${c.completionTokens} tokens, ${c.finishReason})`);
  }
  const u = summarize(free);
  const c = summarize(constrained);
  const ratio = (a: unknown, b: unknown): number | null => (typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 3) : null);
  const paired = constrained.map((r, i) => ratio(r.msPerStep, free[i]?.msPerStep));
  return {
    schema,
    ids: constrained[0]?.ids ?? [],
    result: {
      prompt: cfg.prompt,
      schema,
      constrainedMaxTokens: cfg.maxTokens,
      unconstrainedMaxTokens: tokens,
      equalTokenCounts: [...free, ...constrained].every((r) => r.completionTokens === tokens),
      probes,
      unconstrained: u,
      constrained: c,
      overhead: {
        msPerStepRatio: ratio(c.msPerStep, u.msPerStep),
        pairedRatioMedian: round(median(paired), 3),
        pairedRatios: paired,
        // Load on a shared machine only adds time: the fastest run of each is the least disturbed.
        fastestRatio: ratio(Math.min(...constrained.map((r) => r.msPerStep ?? Infinity)), Math.min(...free.map((r) => r.msPerStep ?? Infinity))),
        msPerTokenRatio: ratio(c.msPerToken, u.msPerToken),
        pageMsPerTokenRatio: ratio(c.pageMsPerToken, u.pageMsPerToken),
        extraMsPerStep: typeof c.msPerStep === 'number' && typeof u.msPerStep === 'number' ? round(c.msPerStep - u.msPerStep, 2) : null,
        target: 1.1,
      },
      sampleText: constrained[0]?.text.slice(0, 300),
      unconstrainedSampleText: free[0]?.text.slice(0, 120),
    },
  };
}

// ---------------------------------------------------------------------------------------
// The mask, replayed in the page

async function maskReplay(grammars: TokenizerGrammars, schema: string, ids: readonly number[], eosIds: readonly number[], repeats: number): Promise<Json> {
  const compiled = await grammars.compile(formatOf(schema));
  const logits = new Float32Array(grammars.vocab.vocabSize);
  const mask: number[] = [];
  const accept: number[] = [];
  const create: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = now();
    const constraint = await GrammarConstraint.create(compiled, { eosIds });
    create.push(now() - t0);
    try {
      for (const id of ids) {
        logits.fill(0);
        let t = now();
        await constraint.mask(logits);
        mask.push(now() - t);
        t = now();
        constraint.accept(id);
        accept.push(now() - t);
      }
      // The step that samples the stop token, as in the decode loop.
      logits.fill(0);
      const t = now();
      await constraint.mask(logits);
      mask.push(now() - t);
    } finally {
      constraint.dispose();
    }
  }
  const sorted = [...mask].sort((a, b) => a - b);
  const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const m = mean(mask);
  const a = mean(accept);
  return {
    schema,
    steps: ids.length + 1,
    repeats,
    maskMsMedian: round(median(mask), 3),
    maskMsMean: round(m, 3),
    maskMsP90: round(sorted[Math.floor(sorted.length * 0.9)], 3),
    maskMsMax: round(sorted[sorted.length - 1], 3),
    acceptMsMean: round(a, 3),
    createMs: round(median(create), 2),
    perStepMs: m === null || a === null ? null : round(m + a, 3),
    firstSteps: mask.slice(0, Math.min(ids.length, 12)).map((x) => round(x, 2)),
    note: 'the first constrained run\'s ids (and the stop step) through GrammarConstraint on the page\'s main thread, logits of the vocabulary\'s size; mask = XGrammar bitmask + UTF-8 narrowing + applyTokenBitmask',
  };
}

// ---------------------------------------------------------------------------------------

const cell = (x: unknown): string => (x === null || x === undefined ? '–' : String(x));

function markdown(cfg: BenchConfig, r: Json): string {
  const d = r.decode as Json;
  const u = d.unconstrained as Json;
  const c = d.constrained as Json;
  const o = d.overhead as Json;
  const m = r.mask as Json;
  const cd = r.compile as Json;
  const ce = r.engineCompile as Json;
  const init = cd.tokenizerInit as Json;
  const ePer = new Map(((ce.perSchema as Json[]) ?? []).map((s) => [s.name, s.compileMs]));
  const lines = [
    `### structured (${cfg.model}, ${cfg.numThreads} threads, schema "${cell(d.schema)}", maxTokens ${cfg.maxTokens} / ${cell(d.unconstrainedMaxTokens)})`,
    '',
    '| | unconstrained | constrained | ratio |',
    '|---|---|---|---|',
    `| decode ms/step | ${cell(u.msPerStep)} | ${cell(c.msPerStep)} | ${cell(o.msPerStepRatio)} (paired ${cell(o.pairedRatioMedian)}, fastest ${cell(o.fastestRatio)}; target ≤ 1.10) |`,
    `| decode ms/token (usage) | ${cell(u.msPerToken)} | ${cell(c.msPerToken)} | ${cell(o.msPerTokenRatio)} |`,
    `| decode ms/token (page) | ${cell(u.pageMsPerToken)} | ${cell(c.pageMsPerToken)} | ${cell(o.pageMsPerTokenRatio)} |`,
    `| decode tok/s | ${cell(u.decodeTokPerSec)} | ${cell(c.decodeTokPerSec)} | |`,
    `| TTFT ms | ${cell(u.ttftMs)} | ${cell(c.ttftMs)} | |`,
    `| completion tokens | ${(u.completionTokens as number[]).join(', ')} | ${(c.completionTokens as number[]).join(', ')} | |`,
    `| finish | ${(u.finishReasons as string[]).join(', ')} | ${(c.finishReasons as string[]).join(', ')} | |`,
    '',
    `Mask replayed in the page (${cell(m.steps)} steps × ${cell(m.repeats)}): mask ${cell(m.maskMsMedian)} ms median, ${cell(m.maskMsMean)} mean, p90 ${cell(m.maskMsP90)}, max ${cell(m.maskMsMax)}; accept ${cell(m.acceptMsMean)} ms; matcher ${cell(m.createMs)} ms per request; 1 + mask/fastest unconstrained step = ${cell(m.estimatedRatio)}; the engine's extra per step ${cell(o.extraMsPerStep)} ms.`,
    '',
    `Compile on the ${cell(cd.vocabSize)}-token tokenizer: XGrammar import ${cell(init.xgrammarImportMs)} ms, grammarVocab ${cell(init.grammarVocabMs)} ms, tokenizer init ${cell(init.initMs)} ms (once); 20 schemas ${cell(cd.totalCompileMs)} ms (median ${cell(cd.medianCompileMs)}, max ${cell(cd.maxCompileMs)}); through the engine ${cell(ce.totalCompileMs)} ms, worker init +${cell((ce.firstConstrainedRequest as Json).initMs)} ms.`,
    '',
    '| schema | compile ms (page) | compile() wall ms | cache hit ms | engine 1st − 2nd request ms |',
    '|---|---|---|---|---|',
    ...(cd.perSchema as Json[]).map((s) => `| ${cell(s.name)} | ${cell(s.compileMs)} | ${cell(s.wallMs)} | ${cell(s.cacheHitMs)} | ${cell(ePer.get(s.name))} |`),
  ];
  return lines.join('\n');
}

export async function structuredBench(cfg: BenchConfig): Promise<Json> {
  const files = await modelFiles(cfg);
  log(`structured: compiling the ${SCHEMAS.length} corpus schemas in the page (${files.vocabSize}-token tokenizer)`);
  const passes = cfg.genRuns >= 5 ? 3 : 1;
  const { result: compile, grammars } = await compileDirect(files, passes);
  let engine: Engine | undefined;
  try {
    log('structured: loading edgewise');
    engine = createEngine({ model: modelSpec(cfg), cache: true, numThreads: cfg.numThreads });
    const t0 = now();
    await engine.load();
    const loadMs = round(now() - t0);
    const engineCompile = await compileThroughEngine(engine);
    const decode = await decodeComparison(engine, cfg);
    await engine.dispose();
    engine = undefined;
    const mask = await maskReplay(grammars, decode.schema, decode.ids, files.eosIds, passes);
    // What the grammar alone adds to the least disturbed unconstrained step: an estimate of the
    // ratio that the machine's noise cannot hide (the engine's ratio above is the measurement).
    const fastest = Math.min(...((decode.result.unconstrained as Json).runs as Json[]).map((r) => (r.msPerStep as number | null) ?? Infinity));
    mask.estimatedRatio = typeof mask.perStepMs === 'number' && Number.isFinite(fastest) ? round(1 + mask.perStepMs / fastest, 3) : null;
    const out: Json = { loadMs, decode: decode.result, mask, compile, engineCompile };
    out.markdown = markdown(cfg, out);
    return out;
  } finally {
    await engine?.dispose();
    grammars.dispose();
  }
}
