/** The web-llm kind as the page sees it: MLC models run in the inference worker, on WebGPU only. */
import type { WebLLMModelSpec } from '../../config-types.js';
import { resolveWebLLM } from '../../model/spec.js';
import type { WorkerHostedKind } from '../kind.js';
import { WEBLLM_EMBEDDER_CAPABILITIES, webllmCapabilities } from './capabilities.js';
import { needsShaderF16 } from './model.js';
import { webllmSupport } from './support.js';

export const webllmPageKind: WorkerHostedKind<WebLLMModelSpec> = {
  runs: 'worker',
  resolve: (spec) => resolveWebLLM(spec),
  facts: (model, role) => {
    const needsF16 = 'spec' in model && needsShaderF16(model.spec);
    return {
      capabilities: role === 'embed' ? WEBLLM_EMBEDDER_CAPABILITIES : webllmCapabilities(model.id),
      ranOn: 'webllm',
      supports: (capabilities) => webllmSupport(capabilities, needsF16, undefined),
    };
  },
};
