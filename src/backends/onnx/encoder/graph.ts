/**
 * What an encoder graph takes and gives, read once from the session: the inputs to feed,
 * which outputs hold token vectors or a pooled vector, and how long those vectors are.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError } from '../../../errors.js';
import { halfToFloat } from '../half.js';

/** Inputs this encoder knows how to fill. */
const KNOWN_INPUTS: ReadonlySet<string> = new Set(['input_ids', 'attention_mask', 'token_type_ids']);
/** Per-token outputs, in order of preference: Optimum's name, then sentence-transformers'. */
const HIDDEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'] as const;
/** Per-text outputs, in order of preference (see {@link GraphLayout.sentenceEmbedding}). */
const POOLED_OUTPUTS = ['sentence_embedding', 'pooler_output'] as const;

export interface GraphLayout {
  attentionMask: boolean;
  tokenTypeIds: boolean;
  /** `[B, S, H]` output name, when the graph has one. */
  hidden: string | undefined;
  /** `[B, H]` output name, when the graph has one. */
  pooled: string | undefined;
  /**
   * The pooled output is sentence-transformers' `sentence_embedding`, the model's trained
   * sentence vector. BERT's `pooler_output` is a tanh layer trained for next-sentence
   * prediction, poor for similarity, so it is used only when asked for by name.
   */
  sentenceEmbedding: boolean;
  /** Last dimension of each output, where the graph states it as a number. */
  dims: { hidden: number | undefined; pooled: number | undefined };
}

function lastDim(session: Ort.InferenceSession, name: string | undefined): number | undefined {
  const meta = session.outputMetadata?.find((m) => m.name === name);
  const last = meta?.isTensor ? meta.shape[meta.shape.length - 1] : undefined;
  return typeof last === 'number' && last > 0 ? last : undefined;
}

/** Which optional inputs the graph takes; refuses graphs that want inputs an encoder cannot give (shared with the token classifier). */
export function readInputs(session: Ort.InferenceSession): Pick<GraphLayout, 'attentionMask' | 'tokenTypeIds'> {
  const inputs = new Set(session.inputNames);
  const unknown = session.inputNames.filter((n) => !KNOWN_INPUTS.has(n));
  if (!inputs.has('input_ids') || unknown.length > 0) {
    const why = unknown.length > 0 ? `it also wants ${unknown.join(', ')}` : 'it has no input_ids';
    throw new EdgewiseError('unsupported_model', `This ONNX graph is not a text encoder this SDK can drive: ${why}. Expected inputs input_ids, attention_mask and optionally token_type_ids (the Optimum / sentence-transformers feature-extraction export).`, { details: { inputs: session.inputNames } });
  }
  return { attentionMask: inputs.has('attention_mask'), tokenTypeIds: inputs.has('token_type_ids') };
}

/** Reads the graph's I/O; refuses graphs that want inputs this encoder cannot give. */
export function readGraph(session: Ort.InferenceSession): GraphLayout {
  const { attentionMask, tokenTypeIds } = readInputs(session);
  const outputs = new Set(session.outputNames);
  const hidden = HIDDEN_OUTPUTS.find((n) => outputs.has(n));
  const pooled = POOLED_OUTPUTS.find((n) => outputs.has(n));
  if (hidden === undefined && pooled === undefined) {
    throw new EdgewiseError('unsupported_model', `This ONNX graph outputs ${session.outputNames.join(', ')}, none of which is a token or sentence embedding (last_hidden_state, token_embeddings, sentence_embedding, pooler_output).`, { details: { outputs: session.outputNames } });
  }
  return {
    attentionMask,
    tokenTypeIds,
    hidden,
    pooled,
    sentenceEmbedding: pooled === 'sentence_embedding',
    dims: { hidden: lastDim(session, hidden), pooled: lastDim(session, pooled) },
  };
}

/**
 * An output's values as float32: the tensor's own array when it is float32 (read it before
 * disposing the tensor), a converted copy when it is float16.
 */
export async function floatsOf(t: Ort.Tensor): Promise<Float32Array> {
  // A GPU-resident output must be downloaded first; a CPU one is returned as is.
  const data = t.location === 'cpu' ? t.data : await t.getData();
  if (t.type === 'float32' && data instanceof Float32Array) return data;
  // Without Float16Array (Node 20, older browsers) onnxruntime-web hands float16 back as raw bits.
  if (t.type === 'float16' && data instanceof Uint16Array) return Float32Array.from(data, halfToFloat);
  if (t.type === 'float16') return Float32Array.from(data as ArrayLike<number>);
  throw new EdgewiseError('unsupported_model', `The embedding output has type ${t.type}; expected float32 or float16.`);
}
