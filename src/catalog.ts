/**
 * Known hub models in the Hugging Face / Optimum ONNX layout. Data only: one frozen
 * row per model. Pass any other model by giving `url` in the ModelSpec.
 */
import type { Dtype } from './config-types.js';

export interface CatalogEntry {
  readonly id: string;
  readonly url: string;
  readonly dtypes: readonly Dtype[];
  readonly defaultDtype: Dtype;
  readonly contextLength: number;
}

/** Where the rows' URLs point; `globalThis.EDGEWISE_HUB` swaps it (see `model/spec.ts`). */
export const HUB = 'https://huggingface.co';

declare global {
  /**
   * The hub that catalog ids resolve against instead of `https://huggingface.co`: a mirror
   * with the same `/<org>/<model>/resolve/main/` layout (an intranet copy, a local folder in
   * tests). Set it before `createEngine()`; a model with its own `url` ignores it.
   * @example
   * globalThis.EDGEWISE_HUB = 'https://hub.example.internal';
   */
  var EDGEWISE_HUB: string | undefined;
}

export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  { id: 'SmolLM2-135M-Instruct', url: `${HUB}/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/`, dtypes: ['fp32', 'fp16', 'q8', 'int8', 'q4', 'q4f16'], defaultDtype: 'q4', contextLength: 8192 },
  { id: 'SmolLM2-360M-Instruct', url: `${HUB}/HuggingFaceTB/SmolLM2-360M-Instruct/resolve/main/`, dtypes: ['fp32', 'fp16', 'q8', 'int8', 'q4', 'q4f16'], defaultDtype: 'q4', contextLength: 8192 },
  { id: 'Qwen2.5-0.5B-Instruct', url: `${HUB}/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/`, dtypes: ['fp32', 'fp16', 'q8', 'int8', 'q4', 'q4f16'], defaultDtype: 'q4', contextLength: 32768 },
].map((row) => Object.freeze({ ...row, dtypes: Object.freeze(row.dtypes as Dtype[]) }) as CatalogEntry));
