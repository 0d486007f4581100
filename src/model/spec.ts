/** Turns a user's ModelSpec into the fully resolved form the worker loads. */
import { CATALOG } from '../catalog.js';
import { EdgewiseError } from '../errors.js';
import type { Dtype, ModelSpec } from '../types.js';
import type { ResolvedModel } from '../worker/protocol.js';

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

export function cacheKey(id: string, dtype: Dtype): string {
  return `${id}:${dtype}`;
}

export function resolveModel(spec: ModelSpec | undefined): ResolvedModel {
  if (!spec || typeof spec.id !== 'string' || spec.id === '') {
    throw new EdgewiseError('invalid_model_spec', 'createEngine needs `model.id` (a catalog id or a name of yours) and, for models outside the catalog, `model.url`.');
  }
  const entry = CATALOG.find((e) => e.id === spec.id);
  const dtype = spec.dtype ?? entry?.defaultDtype ?? 'q4';
  if (!DTYPES.includes(dtype)) {
    throw new EdgewiseError('invalid_model_spec', `Unknown dtype "${String(dtype)}". Use one of: ${DTYPES.join(', ')}.`);
  }
  const base = spec.url ?? entry?.url;
  if (base === undefined) {
    const known = CATALOG.map((e) => e.id).join(', ');
    throw new EdgewiseError('invalid_model_spec', `"${spec.id}" is not in the catalog (${known}); pass \`model.url\`, the base URL of its model folder.`);
  }
  let url: string;
  try {
    const u = new URL(base, globalThis.location?.href);
    url = u.href.endsWith('/') ? u.href : `${u.href}/`;
  } catch (cause) {
    throw new EdgewiseError('invalid_model_spec', `model.url "${base}" is not a valid URL.`, { cause });
  }
  const out: ResolvedModel = { id: spec.id, url, dtype, key: cacheKey(spec.id, dtype), sha256: { ...(spec.sha256 ?? {}) } };
  if (spec.externalData) out.externalData = [...spec.externalData];
  return out;
}
