/** The ONNX kind as the page sees it: models in the Optimum layout, run in the inference worker. */
import { CATALOG } from '../../catalog.js';
import type { ModelSpec } from '../../config-types.js';
import { resolveModel } from '../../model/spec.js';
import type { WorkerHostedKind } from '../kind.js';
import { EMBED_ONLY, ONNX_GENERATE } from './capabilities.js';

export const onnxPageKind: WorkerHostedKind<ModelSpec> = {
  runs: 'worker',
  // Decoders default to q4; encoders are small, so fp32.
  resolve: (spec, role) => resolveModel(spec, role === 'embed' ? 'fp32' : 'q4'),
  facts: (model, role, config) => {
    if (role === 'embed') return { capabilities: EMBED_ONLY, ranOn: 'wasm' };
    // A catalog model's context window lets routing judge a long prompt before the model loads.
    const contextLength = CATALOG.find((e) => e.id === model.id)?.contextLength;
    return { capabilities: ONNX_GENERATE, ranOn: config.device === 'webgpu' ? 'webgpu' : 'wasm', ...(contextLength ? { contextLength } : {}) };
  },
};
