/**
 * The kinds of local backend an engine can hold, by the name a spec's `engine` gives
 * (default `'onnx'`). A new kind is a folder under `backends/` plus one line here (and one
 * in `worker/registry.ts` when its models run in the worker); nothing else names a kind.
 */
import type { BackendV3 } from './backends/backend.js';
import { builtinPageKind } from './backends/builtin/page-kind.js';
import { customPageKind } from './backends/custom/page-kind.js';
import type { ModelRole, PageKind, WorkerConfig, WorkerHostedKind } from './backends/kind.js';
import { lazyBackend } from './backends/lazy.js';
import { onnxPageKind } from './backends/onnx/page-kind.js';
import { webllmPageKind } from './backends/webllm/page-kind.js';
import { EdgewiseError } from './errors.js';
import type { ResolvedWorkerModel } from './model/spec.js';
import type { WorkerHandle } from './worker/handle.js';

type AnyKind = WorkerHostedKind<never> | PageKind<never>;

const KINDS: Readonly<Record<string, AnyKind>> = Object.freeze({
  onnx: onnxPageKind,
  webllm: webllmPageKind,
  builtin: builtinPageKind,
  custom: customPageKind,
});

export interface Candidate {
  backend: BackendV3;
  /** Set for a model the worker runs: the cache API and `engine.model` read it. */
  model?: ResolvedWorkerModel;
}

export interface CandidateEnv {
  /** The engine's worker, started on first use. */
  handle: () => WorkerHandle;
  config: WorkerConfig;
}

function kindOf(spec: unknown): AnyKind {
  if (typeof spec !== 'object' || spec === null) throw new EdgewiseError('invalid_model_spec', 'Each model must be a spec object such as { id, url } or { engine: "builtin" }.');
  const name = (spec as { engine?: unknown }).engine ?? 'onnx';
  const kind = typeof name === 'string' && Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
  if (!kind) throw new EdgewiseError('invalid_model_spec', `model.engine is ${JSON.stringify(name)}: use ${Object.keys(KINDS).map((k) => `'${k}'`).join(', ')} ('onnx' is the default).`);
  return kind;
}

/** Whether a spec's model is stored by edgewise's worker (the cache API applies to it). */
export function resolveStored(spec: unknown, role: ModelRole): ResolvedWorkerModel | undefined {
  const kind = kindOf(spec);
  return kind.runs === 'worker' ? kind.resolve(spec as never, role) : undefined;
}

/** The backend for one model spec; throws `invalid_model_spec` for a bad one. */
export function createCandidate(spec: unknown, role: ModelRole, env: CandidateEnv): Candidate {
  const kind = kindOf(spec);
  if (kind.runs === 'page') return { backend: kind.create(spec as never, role) };
  const model = kind.resolve(spec as never, role);
  const facts = kind.facts(model, role, env.config);
  const handle = env.handle();
  // The page-side proxy is a lazy chunk like the runner that drives it: until the first
  // request, what routing reads is known from the spec.
  const backend = lazyBackend({
    kind: model.engine, location: 'local', capabilities: facts.capabilities, generates: role === 'generate', embeds: role === 'embed',
    state: { ranOn: facts.ranOn, loaded: false, contextLength: facts.contextLength, weightBytes: model.bytes },
    supports: (caps) => facts.supports?.(caps) ?? { ok: true },
  }, () => import('./worker/proxy.js').then((m) => m.createWorkerBackend(handle, { model, role, config: env.config, facts })));
  return { backend, model };
}
