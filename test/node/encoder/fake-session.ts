/**
 * A recording stand-in for an ORT encoder session. Its outputs are hand-computable:
 * token vector `(b, t)` is `[id, t, 1]`, so a masked mean is `[mean id, mean position, 1]`;
 * `sentence_embedding` is `[sum of real ids, real count]`. It keeps every tensor it was
 * given or gave, so tests can check each one was disposed.
 */
import * as ort from 'onnxruntime-web';
import { openEncoder, type Encoder } from '../../../src/backends/onnx/encoder/index.js';
import { tinyTokenizer } from './helpers.js';

type Tensors = Record<string, ort.Tensor>;

export interface FakeLayout {
  inputs?: string[];
  outputs?: string[];
  /** State the output widths in the metadata (as real exports do); false leaves them symbolic. */
  statedDims?: boolean;
}

export class FakeSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputMetadata = [];
  readonly outputMetadata: { name: string; isTensor: true; type: 'float32'; shape: (number | string)[] }[];
  readonly runs: { feeds: Tensors; fetches: string[]; inputIds: number[] }[] = [];
  readonly given: ort.Tensor[] = [];
  releases = 0;
  /** While set, runs wait for it: a slow batch. */
  hold: Promise<void> | undefined;
  /** Set to make the next run fail. */
  fail: Error | undefined;

  constructor(layout: FakeLayout = {}) {
    this.inputNames = layout.inputs ?? ['input_ids', 'attention_mask', 'token_type_ids'];
    this.outputNames = layout.outputs ?? ['last_hidden_state', 'sentence_embedding'];
    const stated = layout.statedDims ?? true;
    this.outputMetadata = this.outputNames.map((name) => ({
      name,
      isTensor: true,
      type: 'float32',
      shape: name === 'last_hidden_state' || name === 'token_embeddings' ? ['batch', 'seq', stated ? 3 : 'hidden'] : ['batch', stated ? 2 : 'dim'],
    }));
  }

  async run(feeds: Tensors, fetches: string[]): Promise<Tensors> {
    // A copy: the encoder disposes its feeds once the run settles.
    this.runs.push({ feeds, fetches, inputIds: Array.from(feeds['input_ids']!.data as BigInt64Array, Number) });
    if (this.hold) await this.hold;
    if (this.fail) {
      const e = this.fail;
      this.fail = undefined;
      throw e;
    }
    const ids = feeds['input_ids']!;
    const [rows = 0, seq = 0] = ids.dims;
    const idData = ids.data as BigInt64Array;
    const maskData = (feeds['attention_mask']?.data as BigInt64Array | undefined) ?? new BigInt64Array(rows * seq).fill(1n);
    const out: Tensors = {};
    for (const name of fetches) {
      if (name === 'last_hidden_state' || name === 'token_embeddings') {
        const h = new Float32Array(rows * seq * 3);
        for (let i = 0; i < rows * seq; i++) h.set([Number(idData[i]), i % seq, 1], i * 3);
        out[name] = new ort.Tensor('float32', h, [rows, seq, 3]);
      } else {
        const p = new Float32Array(rows * 2);
        for (let i = 0; i < rows * seq; i++) {
          const r = Math.floor(i / seq);
          if (maskData[i] === 1n) p.set([p[r * 2]! + Number(idData[i]), p[r * 2 + 1]! + 1], r * 2);
        }
        out[name] = new ort.Tensor('float32', p, [rows, 2]);
      }
    }
    this.given.push(...Object.values(out));
    return out;
  }

  async release(): Promise<void> {
    this.releases++;
  }

  /** Every tensor fed or returned so far, with whether it has been disposed. */
  allTensors(): ort.Tensor[] {
    return [...this.runs.flatMap((r) => Object.values(r.feeds)), ...this.given];
  }
}

/** Opens an encoder over `session` with the hand-written tokenizer. */
export function openFake(session: FakeSession, modelMaxLength = 512): Promise<Encoder> {
  const { tokenizer, tokenizerConfig } = tinyTokenizer();
  return openEncoder(
    ort,
    { config: { model_type: 'bert', hidden_size: 3, max_position_embeddings: 512, pad_token_id: 0 }, tokenizer, tokenizerConfig: { ...tokenizerConfig, model_max_length: modelMaxLength }, model: new Uint8Array(0) },
    async () => session as unknown as ort.InferenceSession,
  );
}
