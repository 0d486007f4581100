/**
 * The kinds of backend the inference worker hosts, by the name a model spec's `engine`
 * gives. A new kind is a folder under `backends/` plus one line here (and one in
 * `src/registry.ts` for the page side).
 */
import type { WorkerKind } from '../backends/kind.js';
import { onnxWorkerKind } from '../backends/onnx/worker-kind.js';
import { webllmWorkerKind } from '../backends/webllm/worker-kind.js';

export const WORKER_KINDS: Readonly<Record<string, WorkerKind>> = Object.freeze({
  onnx: onnxWorkerKind,
  webllm: webllmWorkerKind,
});
