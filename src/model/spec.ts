/** Turns a user's ModelSpec into the fully resolved form the worker loads. */
import { CATALOG, HUB } from '../catalog.js';
import { EdgewiseError } from '../errors.js';
import { checkHttpUrl } from '../options.js';
import type { Dtype, ModelSpec, WebLLMModelSpec } from '../config-types.js';

/** A model spec after catalog lookup and defaults, as the worker receives it. */
export interface ResolvedModel {
  engine: 'onnx';
  id: string;
  url: string;
  dtype: Dtype;
  /** Cache key: one entry per id and weight format. */
  key: string;
  sha256: Readonly<Record<string, string>>;
  externalData?: readonly string[];
  bytes?: number;
}

/** A web-llm model as the worker receives it. */
export interface ResolvedWebLLM {
  engine: 'webllm';
  id: string;
  /** `webllm:<id>`: web-llm keeps its own cache, listed beside ours. */
  key: string;
  spec: WebLLMModelSpec;
  bytes?: number;
}

/** Any model the worker runs. */
export type ResolvedWorkerModel = ResolvedModel | ResolvedWebLLM;

export function resolveWebLLM(spec: WebLLMModelSpec): ResolvedWebLLM {
  if (typeof spec.id !== 'string' || spec.id === '') {
    throw new EdgewiseError('invalid_model_spec', "A web-llm model needs `id`: an id from web-llm's prebuilt list (e.g. 'SmolLM2-360M-Instruct-q4f16_1-MLC') or a `record` of your own.");
  }
  if (spec.record !== undefined) {
    for (const url of [spec.record.model, spec.record.model_lib]) checkHttpUrl(url, 'model.record URLs', 'invalid_model_spec');
  }
  const out: ResolvedWebLLM = { engine: 'webllm', id: spec.id, key: `webllm:${spec.id}`, spec: { ...spec } };
  if (spec.bytes !== undefined) out.bytes = spec.bytes;
  return out;
}

const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'int8', 'q4', 'q4f16'];

/** transformers.js's file naming, so the same hub folders work with both. */
export function onnxFileFor(dtype: Dtype): string {
  switch (dtype) {
    case 'fp32': return 'onnx/model.onnx';
    case 'fp16': return 'onnx/model_fp16.onnx';
    case 'q8': return 'onnx/model_quantized.onnx';
    case 'int8': return 'onnx/model_int8.onnx';
    case 'q4': return 'onnx/model_q4.onnx';
    case 'q4f16': return 'onnx/model_q4f16.onnx';
    default: {
      const never: never = dtype;
      throw new EdgewiseError('invalid_model_spec', `Unknown dtype ${String(never)}`);
    }
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function checkSha256(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new EdgewiseError('invalid_model_spec', 'model.sha256 is not an object: pass one that maps file paths to hex digests, e.g. { \'onnx/model_q4.onnx\': \'9f86d0…\' }.');
  }
  const out: Record<string, string> = {};
  for (const [path, hash] of Object.entries(v)) {
    if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
      throw new EdgewiseError('invalid_model_spec', `model.sha256["${path}"] is not a sha256 digest: pass 64 hexadecimal characters (sha256sum prints them).`);
    }
    out[path] = hash.toLowerCase();
  }
  return out;
}

export function cacheKey(id: string, dtype: Dtype): string {
  return `${id}:${dtype}`;
}

/** `defaultDtype` applies outside the catalog: decoders default to q4, encoders (small) to fp32. */
export function resolveModel(spec: ModelSpec | undefined, defaultDtype: Dtype = 'q4'): ResolvedModel {
  if (typeof spec !== 'object' || spec === null || typeof spec.id !== 'string' || spec.id === '') {
    throw new EdgewiseError('invalid_model_spec', 'createEngine needs `model.id` (a catalog id or a name of yours) and, for models outside the catalog, `model.url`.');
  }
  const entry = CATALOG.find((e) => e.id === spec.id);
  const dtype = spec.dtype ?? entry?.defaultDtype ?? defaultDtype;
  if (!DTYPES.includes(dtype)) {
    throw new EdgewiseError('invalid_model_spec', `Unknown dtype "${String(dtype)}". Use one of: ${DTYPES.join(', ')}.`);
  }
  // A catalog row on the configured hub mirror (`globalThis.EDGEWISE_HUB`, see catalog.ts).
  const base = spec.url ?? entry?.url.replace(HUB, globalThis.EDGEWISE_HUB?.replace(/\/$/, '') ?? HUB);
  if (base === undefined) {
    const known = CATALOG.map((e) => e.id).join(', ');
    throw new EdgewiseError('invalid_model_spec', `"${spec.id}" is not in the catalog (${known}); pass \`model.url\`, the base URL of its model folder.`);
  }
  const u = checkHttpUrl(base, 'model.url', 'invalid_model_spec');
  const url = u.href.endsWith('/') ? u.href : `${u.href}/`;
  const out: ResolvedModel = { engine: 'onnx', id: spec.id, url, dtype, key: cacheKey(spec.id, dtype), sha256: checkSha256(spec.sha256) };
  if (spec.externalData !== undefined) {
    if (!Array.isArray(spec.externalData) || spec.externalData.some((f) => typeof f !== 'string' || f === '')) {
      throw new EdgewiseError('invalid_model_spec', 'model.externalData must be an array of file paths relative to model.url, e.g. [\'onnx/model.onnx_data\'].');
    }
    out.externalData = [...spec.externalData];
  }
  if (spec.bytes !== undefined) {
    if (typeof spec.bytes !== 'number' || !(spec.bytes > 0) || spec.bytes === Infinity) {
      throw new EdgewiseError('invalid_model_spec', `model.bytes is ${String(spec.bytes)}: pass the approximate size of the weights in bytes, or leave it out.`);
    }
    out.bytes = spec.bytes;
  }
  return out;
}
