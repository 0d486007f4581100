/**
 * The worker-side text encoder: texts → one vector each, through one ORT session.
 * Texts are tokenized, grouped by length, padded per batch, run, pooled and put back in
 * input order. Every tensor made or received is disposed once read, so a long job or many
 * calls keep memory flat.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../../errors.js';
import type { EmbedOptions, EmbedRequest, EmbedResult, Pooling } from '../../backend.js';
import { createSession as ortCreateSession, type ExternalData, type OrtModule } from '../runtime.js';
import { yieldToEventLoop } from '../yield.js';
import { packBatch, planBatches, type PackedBatch } from './batches.js';
import { maxLengthOf, readEncoderConfig } from './config.js';
import { floatsOf, readGraph, type GraphLayout } from './graph.js';
import { clsPool, l2Normalize, meanPool, rowOf } from './pool.js';
import { SessionRunner, disposeAll, throwIfAborted } from './runner.js';
import { EncoderTokenizer } from './tokenize.js';

type Json = Record<string, unknown>;

/** The files of an encoder model folder, already fetched. */
export interface EncoderFiles {
  config: Json;
  tokenizer: Json;
  tokenizerConfig: Json;
  model: Uint8Array;
  externalData?: ExternalData[];
}

/** Opens an ORT session; `runtime.ts`'s `createSession` unless a test injects another. */
export type CreateSession = (ort: OrtModule, model: Uint8Array, externalData: readonly ExternalData[]) => Promise<Ort.InferenceSession>;

/** An embedding result before the backend adds where it ran and what it cost. */
export type EncoderResult = Omit<EmbedResult, 'ranOn' | 'cost'>;

export interface Encoder {
  /** Vector length under the default pooling. */
  readonly dims: number;
  /** Tokens per text, special tokens included: min of `model_max_length` and the model's positions. */
  readonly maxLength: number;
  /** The graph outputs `sentence_embedding` or `pooler_output`, so `pooling: 'pooled'` works. */
  readonly hasPooledOutput: boolean;
  /** What an unset `pooling` means: `pooled` for a `sentence_embedding` output, else `mean`. */
  readonly defaultPooling: Pooling;
  /**
   * One vector per text, in input order. Rejects with `aborted` when `options.signal` fires
   * (checked between batches, and a running batch is abandoned), `invalid_request` for a
   * pooling the graph cannot give, `runtime_error` when ORT fails, `disposed` after `release()`.
   */
  embed(request: EmbedRequest, options?: EmbedOptions): Promise<EncoderResult>;
  /** Releases the session once any run in flight has finished; calling it twice is fine. */
  release(): Promise<void>;
}

class OnnxEncoder implements Encoder {
  readonly hasPooledOutput: boolean;
  readonly defaultPooling: Pooling;
  dims = 0;
  private readonly runner: SessionRunner;
  private released: Promise<void> | undefined;

  constructor(
    private readonly ort: OrtModule,
    session: Ort.InferenceSession,
    private readonly tokenizer: EncoderTokenizer,
    private readonly layout: GraphLayout,
    readonly maxLength: number,
  ) {
    this.runner = new SessionRunner(session);
    this.hasPooledOutput = layout.pooled !== undefined;
    this.defaultPooling = layout.sentenceEmbedding || layout.hidden === undefined ? 'pooled' : 'mean';
  }

  async embed(request: EmbedRequest, options: EmbedOptions = {}): Promise<EncoderResult> {
    if (this.released) throw new EdgewiseError('disposed', 'This encoder was released; open the model again to embed.');
    const pooling = request.pooling ?? this.defaultPooling;
    const output = this.outputFor(pooling);
    const { signal, onBatch } = options;
    throwIfAborted(signal);
    const { texts } = request;
    const tokens: number[][] = new Array<number[]>(texts.length);
    const truncated: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const encoded = this.tokenizer.encode(texts[i]!, this.maxLength);
      tokens[i] = encoded.ids;
      if (encoded.truncated) truncated.push(i);
    }
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    let promptTokens = 0;
    let done = 0;
    for (const batch of planBatches(tokens.map((t) => t.length), request.batchSize)) {
      const packed = packBatch(tokens, batch, this.tokenizer.padId);
      await this.runBatch(packed, output, pooling, signal, (row, v) => {
        vectors[batch[row]!] = request.normalize ? l2Normalize(v) : v;
      });
      promptTokens += packed.realTokens;
      done += batch.length;
      onBatch?.(done);
      if (done < texts.length) {
        // An abort from the page arrives as a message; let it land before the next batch.
        await yieldToEventLoop();
        throwIfAborted(signal);
      }
    }
    return { vectors, truncated, promptTokens };
  }

  release(): Promise<void> {
    this.released ??= this.runner.release();
    return this.released;
  }

  /** Learns the vector length from one run when the graph does not state it. */
  async measureDims(stated: number | undefined): Promise<void> {
    this.dims = stated ?? (await this.embed({ texts: [''], batchSize: 1, normalize: false })).vectors[0]!.length;
  }

  private outputFor(pooling: Pooling): string {
    switch (pooling) {
      case 'pooled':
        if (this.layout.pooled === undefined) {
          throw new EdgewiseError('invalid_request', 'This model has no pooled output (sentence_embedding or pooler_output); use pooling "mean" or "cls", or leave pooling unset.', { details: { pooling } });
        }
        return this.layout.pooled;
      case 'mean':
      case 'cls':
        if (this.layout.hidden === undefined) {
          throw new EdgewiseError('invalid_request', `This model outputs only a pooled vector (${this.layout.pooled ?? 'none'}), so "${pooling}" pooling cannot be computed; use pooling "pooled" or leave it unset.`, { details: { pooling } });
        }
        return this.layout.hidden;
      default: {
        const unknown: never = pooling;
        throw new EdgewiseError('invalid_request', `Unknown pooling ${JSON.stringify(unknown)}; use "mean", "cls" or "pooled".`);
      }
    }
  }

  private feeds(p: PackedBatch): Record<string, Ort.Tensor> {
    const dims = [p.rows, p.seq];
    const feeds: Record<string, Ort.Tensor> = { input_ids: new this.ort.Tensor('int64', p.ids, dims) };
    if (this.layout.attentionMask) feeds['attention_mask'] = new this.ort.Tensor('int64', p.mask, dims);
    if (this.layout.tokenTypeIds) feeds['token_type_ids'] = new this.ort.Tensor('int64', new BigInt64Array(p.rows * p.seq), dims);
    return feeds;
  }

  /** Runs one batch and hands each row's pooled copy to `put`, then disposes the outputs. */
  private async runBatch(p: PackedBatch, output: string, pooling: Pooling, signal: AbortSignal | undefined, put: (row: number, v: Float32Array) => void): Promise<void> {
    if (this.released) throw new EdgewiseError('disposed', 'This encoder was released while embedding.');
    const outputs = await this.runner.run(this.feeds(p), output, signal);
    try {
      const t = outputs[output];
      if (t === undefined) throw new EdgewiseError('runtime_error', `onnxruntime-web returned no ${output} output.`);
      const values = await floatsOf(t);
      const dim = t.dims[t.dims.length - 1] ?? 0;
      for (let r = 0; r < p.rows; r++) {
        put(r, pooling === 'pooled' ? rowOf(values, r, dim) : pooling === 'cls' ? clsPool(values, r, p.seq, dim) : meanPool(values, p.mask8, r, p.seq, dim));
      }
    } finally {
      disposeAll(outputs);
    }
  }
}

/**
 * Opens an encoder model: checks `config.json` (refusing generation models), reads the
 * tokenizer, opens the session and checks its inputs and outputs.
 *
 * @example
 * const encoder = await openEncoder(ort, files);
 * const { vectors, truncated } = await encoder.embed({ texts: ['a cat', 'a dog'], batchSize: 32, normalize: true });
 * await encoder.release();
 */
export async function openEncoder(ort: OrtModule, files: EncoderFiles, createSession: CreateSession = ortCreateSession): Promise<Encoder> {
  const config = readEncoderConfig(files.config);
  const tokenizer = new EncoderTokenizer(files.tokenizer, files.tokenizerConfig, config.padTokenId);
  const maxLength = maxLengthOf(config, files.tokenizerConfig);
  const session = await createSession(ort, files.model, files.externalData ?? []);
  try {
    const layout = readGraph(session);
    const encoder = new OnnxEncoder(ort, session, tokenizer, layout, maxLength);
    // The graph's stated width, not hidden_size: a sentence-transformers Dense layer may project to another.
    await encoder.measureDims(encoder.defaultPooling === 'pooled' ? layout.dims.pooled : layout.dims.hidden);
    return encoder;
  } catch (e) {
    await session.release();
    throw e;
  }
}
