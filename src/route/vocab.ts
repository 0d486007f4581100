/**
 * The routing vocabulary as data: each closed union and the array that lists it come
 * from one `as const` source, so validation and the types cannot drift apart.
 */

/** Where a request may run. Per engine, overridable per request. */
export const POLICIES = ['local-only', 'prefer-local', 'prefer-remote', 'remote-only'] as const;
export type Policy = (typeof POLICIES)[number];

/** Where a request ran. */
/** `custom`: an app's own backend (`{ engine: 'custom', backend }`) that reports no place of its own. */
export const RAN_ON = ['wasm', 'webgpu', 'webllm', 'builtin', 'remote', 'custom'] as const;
export type RanOn = (typeof RAN_ON)[number];

/**
 * Why the router chose the backend that ran. Documented one by one in docs/edge-and-cloud.md.
 * - `local_only` / `remote_only`: the policy allowed one side only.
 * - `local_preferred` / `remote_preferred`: the preferred side could serve.
 * - `no_local_model`: no local model is configured.
 * - `local_load_failed`: the local model failed to load (this request or earlier).
 * - `memory`: the weights exceed what the device's memory allows.
 * - `storage`: the weights are not cached and exceed the storage quota left.
 * - `context_overflow`: the prompt exceeds the local model's context window.
 * - `latency_budget`: the estimated local time exceeds `maxLocalLatencyMs`.
 * - `local_failed`: the local run failed before its first token; the remote took over.
 * - `offline`: the network is down, so the local model serves a prefer-remote request.
 * - `no_remote`: no remote endpoint is configured.
 * - `remote_failed`: the remote failed before its first token; the local model took over.
 * - `custom`: the app's own `route()` function decided.
 * - `unsupported_device`: (a skipped local candidate) the device lacks what its engine needs
 *   (WebGPU, `shader-f16`, the built-in model).
 * - `downloading`: (a skipped built-in candidate) the browser is still downloading its model.
 * - `unsupported_request`: (a skipped candidate) it cannot honour the request's
 *   `responseFormat` or `tools` (the detail says which).
 */
export const ROUTE_REASONS = [
  'local_only', 'remote_only', 'local_preferred', 'remote_preferred', 'no_local_model', 'local_load_failed',
  'memory', 'storage', 'context_overflow', 'latency_budget', 'local_failed', 'offline', 'no_remote',
  'remote_failed', 'custom', 'unsupported_device', 'downloading', 'unsupported_request',
] as const;

/** The local engines a model spec may name (`custom`: the app's own backend). */
export const ENGINES = ['onnx', 'webllm', 'builtin', 'custom'] as const;
export type EngineKind = (typeof ENGINES)[number];
export type RouteReason = (typeof ROUTE_REASONS)[number];

/**
 * The kinds of personal data redaction finds; `term` and `pattern` are the app's own,
 * `secret` covers credentials (API keys, tokens, private keys, passwords), `name` and
 * `address` come only from the optional on-device model tier (`redact.model`).
 */
export const REDACTION_TYPES = ['email', 'phone', 'card', 'iban', 'ip', 'secret_url', 'secret', 'national_id', 'name', 'address', 'term', 'pattern'] as const;
export type RedactionType = (typeof REDACTION_TYPES)[number];
