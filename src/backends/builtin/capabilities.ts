/**
 * What the built-in model can do, in a module of its own so the page can route on it
 * without importing the adapter (which stays a lazy chunk).
 */
import type { BackendCapabilities } from '../backend.js';

/**
 * What the built-in model honours: `LanguageModel.create()` takes temperature and topK
 * (in extension contexts; pages get the browser's defaults since Chrome 138), stop strings
 * are cut here; `responseConstraint` takes a JSON Schema or a RegExp (Chrome 137+); tools
 * are emulated with the same constraint (see `tools.ts`).
 */
export const BUILTIN_CAPABILITIES: BackendCapabilities = Object.freeze({
  sampling: Object.freeze(['temperature', 'topK', 'stop'] as const),
  responseFormats: Object.freeze(['json_schema', 'json_object', 'regex'] as const),
  tools: true,
});

