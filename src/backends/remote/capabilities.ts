/**
 * What the remote backend declares, apart from its code so that a lazy candidate can
 * show it to the router without loading the backend.
 */
import type { BackendCapabilities } from '../backend.js';

/**
 * What the OpenAI chat API takes. topK and repetitionPenalty are not among them (servers
 * that know them disagree on names), nor token ids: the engine turns a request that sets
 * them into warnings from this list. Both JSON formats go out as `response_format`.
 */
export const REMOTE_CAPABILITIES: BackendCapabilities = Object.freeze({
  sampling: Object.freeze(['temperature', 'topP', 'seed', 'stop'] as const),
  responseFormats: Object.freeze(['json_schema', 'json_object'] as const),
  tools: true,
});
