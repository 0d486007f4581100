/**
 * The worker-side token classifier (NER): texts → labelled character spans, through one
 * ORT session on a BERT-style token-classification export (Optimum layout, output `logits`
 * `[batch, seq, labels]`, `id2label` in `config.json`). It shares the encoder's pieces:
 * config checks, tokenizer, batch packing and the session runner. Long texts are read in
 * overlapping windows (see `token-windows.ts`), so no text past the model's length is
 * skipped; offsets come from `token-offsets.ts`, entities from `token-bio.ts`.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../../errors.js';
import { createSession as ortCreateSession, type OrtModule } from '../runtime.js';
import { yieldToEventLoop } from '../yield.js';
import { packBatch, planBatches, type PackedBatch } from './batches.js';
import { maxLengthOf, readEncoderConfig } from './config.js';
import type { CreateSession, EncoderFiles } from './encoder.js';
import { floatsOf, readInputs } from './graph.js';
import { SessionRunner, disposeAll, throwIfAborted } from './runner.js';
import { decodeEntities, type Entity, type TokenLabel } from './token-bio.js';
import { alignOffsets, type Offsets } from './token-offsets.js';
import { ownerOf, planWindows, type TokenWindow } from './token-windows.js';
import { EncoderTokenizer } from './tokenize.js';

export type { Entity } from './token-bio.js';

export interface ClassifyOptions {
  signal?: AbortSignal;
  /** A token whose winning label is less probable than this counts as outside any entity. */
  minScore: number;
  /** Windows per forward pass. */
  batchSize?: number;
}

export interface TokenClassifier {
  /** The model's labels by id, from `config.json`'s `id2label`. */
  readonly labels: readonly string[];
  /** Tokens per window, special tokens included. */
  readonly maxLength: number;
  /** Entities per text, in text order. Rejects with `aborted` when `signal` fires (checked between batches). */
  classify(texts: readonly string[], options: ClassifyOptions): Promise<Entity[][]>;
  release(): Promise<void>;
}

/** `id2label` as an array by id; refuses a config without one (not a token-classification export). */
export function labelsOf(config: Record<string, unknown>): string[] {
  const raw = config['id2label'];
  const entries = typeof raw === 'object' && raw !== null ? Object.entries(raw as Record<string, unknown>) : [];
  const labels: string[] = [];
  for (const [id, label] of entries) if (/^\d+$/.test(id) && typeof label === 'string') labels[Number(id)] = label;
  if (labels.length < 2 || labels.some((l) => l === undefined)) {
    throw new EdgewiseError('unsupported_model', 'config.json has no usable id2label: the redaction model must be a token-classification export whose config names every label (e.g. "O", "B-PER", "I-PER").', { details: { id2label: raw } });
  }
  return labels;
}

interface Doc {
  ids: number[];
  offsets: Offsets[];
  windows: TokenWindow[];
  owner: Int32Array;
  best: Int32Array;
  score: Float32Array;
}

class OnnxTokenClassifier implements TokenClassifier {
  private readonly runner: SessionRunner;
  private readonly width: number;

  constructor(
    private readonly ort: OrtModule,
    session: Ort.InferenceSession,
    private readonly tokenizer: EncoderTokenizer,
    private readonly inputs: { attentionMask: boolean; tokenTypeIds: boolean },
    readonly labels: readonly string[],
    readonly maxLength: number,
  ) {
    this.runner = new SessionRunner(session);
    this.width = Math.max(1, maxLength - tokenizer.prefixIds.length - tokenizer.suffixIds.length);
  }

  async classify(texts: readonly string[], o: ClassifyOptions): Promise<Entity[][]> {
    throwIfAborted(o.signal);
    const docs = texts.map((text): Doc => {
      const { ids, tokens } = this.tokenizer.pieces(text);
      const windows = ids.length === 0 ? [] : planWindows(ids.length, this.width);
      return { ids, offsets: alignOffsets(text, tokens), windows, owner: ownerOf(windows, ids.length), best: new Int32Array(ids.length), score: new Float32Array(ids.length) };
    });
    const rows = docs.flatMap((d, di) => d.windows.map((w, wi) => ({ d: di, w: wi })));
    const { prefixIds, suffixIds } = this.tokenizer;
    const tokens = rows.map(({ d, w }) => {
      const win = docs[d]!.windows[w]!;
      return [...prefixIds, ...docs[d]!.ids.slice(win.start, win.end), ...suffixIds];
    });
    const plan = planBatches(tokens.map((t) => t.length), o.batchSize ?? 8);
    for (let b = 0; b < plan.length; b++) {
      const batch = plan[b]!;
      const packed = packBatch(tokens, batch, this.tokenizer.padId);
      await this.runBatch(packed, o.signal, (r, logits, at) => {
        const { d, w } = rows[batch[r]!]!;
        const doc = docs[d]!;
        const win = doc.windows[w]!;
        for (let t = win.start; t < win.end; t++) {
          if (doc.owner[t] !== w) continue;
          const [label, p] = softmaxBest(logits, at(t - win.start + prefixIds.length), this.labels.length);
          doc.best[t] = label;
          doc.score[t] = p;
        }
      });
      if (b + 1 < plan.length) {
        // An abort from the page arrives as a message; let it land before the next batch.
        await yieldToEventLoop();
        throwIfAborted(o.signal);
      }
    }
    return docs.map((doc) => decodeEntities(Array.from(doc.ids, (_, t): TokenLabel => ({
      label: doc.score[t]! >= o.minScore ? this.labels[doc.best[t]!]! : 'O',
      score: doc.score[t]!,
      start: doc.offsets[t]![0],
      end: doc.offsets[t]![1],
    }))));
  }

  release(): Promise<void> {
    return this.runner.release();
  }

  private async runBatch(p: PackedBatch, signal: AbortSignal | undefined, read: (row: number, logits: Float32Array, at: (pos: number) => number) => void): Promise<void> {
    const dims = [p.rows, p.seq];
    const feeds: Record<string, Ort.Tensor> = { input_ids: new this.ort.Tensor('int64', p.ids, dims) };
    if (this.inputs.attentionMask) feeds['attention_mask'] = new this.ort.Tensor('int64', p.mask, dims);
    if (this.inputs.tokenTypeIds) feeds['token_type_ids'] = new this.ort.Tensor('int64', new BigInt64Array(p.rows * p.seq), dims);
    const outputs = await this.runner.run(feeds, 'logits', signal);
    try {
      const t = outputs['logits'];
      if (t === undefined) throw new EdgewiseError('runtime_error', 'onnxruntime-web returned no logits output.');
      const n = this.labels.length;
      if (t.dims[t.dims.length - 1] !== n) {
        throw new EdgewiseError('unsupported_model', `The model outputs ${String(t.dims[t.dims.length - 1])} labels per token but config.json's id2label names ${n}.`, { details: { dims: t.dims } });
      }
      const logits = await floatsOf(t);
      for (let r = 0; r < p.rows; r++) read(r, logits, (pos) => (r * p.seq + pos) * n);
    } finally {
      disposeAll(outputs);
    }
  }
}

/** The most probable label at `base` and its softmax probability (max-subtracted, so large logits cannot overflow). */
function softmaxBest(logits: Float32Array, base: number, n: number): [number, number] {
  let best = 0;
  for (let i = 1; i < n; i++) if (logits[base + i]! > logits[base + best]!) best = i;
  const top = logits[base + best]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[base + i]! - top);
  return [best, 1 / sum];
}

/**
 * Opens a token-classification model: checks `config.json` (refusing generation models
 * and configs without `id2label`), reads the tokenizer, opens the session and checks it
 * takes encoder inputs and outputs `logits`.
 *
 * @example
 * const ner = await openTokenClassifier(ort, files);
 * const [entities] = await ner.classify(['Alice lives on Elm Street'], { minScore: 0.5 });
 * await ner.release();
 */
export async function openTokenClassifier(ort: OrtModule, files: EncoderFiles, createSession: CreateSession = ortCreateSession): Promise<TokenClassifier> {
  const config = readEncoderConfig(files.config);
  const labels = labelsOf(files.config);
  const tokenizer = new EncoderTokenizer(files.tokenizer, files.tokenizerConfig, config.padTokenId);
  const maxLength = maxLengthOf(config, files.tokenizerConfig);
  const session = await createSession(ort, files.model, files.externalData ?? []);
  try {
    const inputs = readInputs(session);
    if (!session.outputNames.includes('logits')) {
      throw new EdgewiseError('unsupported_model', `This ONNX graph outputs ${session.outputNames.join(', ')}, not logits: the redaction model must be a token-classification export.`, { details: { outputs: session.outputNames } });
    }
    return new OnnxTokenClassifier(ort, session, tokenizer, inputs, labels, maxLength);
  } catch (e) {
    await session.release();
    throw e;
  }
}
