/**
 * Engine and load options, checked on the calling thread with a typed error that names
 * the option and what to pass instead. Nothing invalid reaches the worker.
 */
import { EdgewiseError } from './errors.js';
import { POLICIES, type Policy } from './route/vocab.js';
import type { LoadOptions, Progress } from './types.js';
import type { EngineOptions } from './config-types.js';

const bad = (option: string, message: string): EdgewiseError => new EdgewiseError('invalid_option', message, { details: { option } });

/** Duck-typed rather than `instanceof`: signals from another realm (an iframe) are fine too. */
export function checkSignal(signal: unknown, where: string): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  const s = signal as Partial<AbortSignal> | null;
  if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function' || typeof s.removeEventListener !== 'function') {
    throw new EdgewiseError('invalid_signal', `${where}.signal is ${describe(signal)}: pass an AbortSignal (new AbortController().signal) or leave it out.`);
  }
  return signal as AbortSignal;
}

export function checkLoadOptions(o: unknown): { signal?: AbortSignal; onProgress?: (p: Progress) => void } {
  if (o === undefined) return {};
  if (typeof o !== 'object' || o === null) throw bad('load', `load() takes an options object ({ signal, onProgress }), not ${describe(o)}.`);
  const { signal, onProgress } = o as LoadOptions;
  const out: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {};
  const s = checkSignal(signal, 'load()');
  if (s) out.signal = s;
  if (onProgress !== undefined) {
    if (typeof onProgress !== 'function') throw new EdgewiseError('invalid_callback', `load().onProgress is ${describe(onProgress)}: pass a function (progress) => void or leave it out.`);
    out.onProgress = onProgress;
  }
  return out;
}

/** `engine.unload(which)`: `'model'`, `'embeddingModel'` or nothing (both). */
export function checkUnloadTarget(which: unknown): void {
  if (which !== undefined && which !== 'model' && which !== 'embeddingModel') {
    throw new EdgewiseError('invalid_option', `unload() takes 'model', 'embeddingModel' or nothing (both), not ${JSON.stringify(which)}.`, { details: { option: 'unload' } });
  }
}

export function checkPolicy(p: unknown, where: string): Policy {
  if (typeof p !== 'string' || !(POLICIES as readonly string[]).includes(p)) {
    throw new EdgewiseError('invalid_policy', `${where} is ${describe(p)}: use one of ${POLICIES.map((x) => `'${x}'`).join(', ')}.`);
  }
  return p as Policy;
}

export function checkLatencyBudget(v: unknown, where: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0) || v === Infinity) throw bad('maxLocalLatencyMs', `${where} is ${describe(v)}: pass a positive number of milliseconds or leave it out.`);
  return v;
}

/** Only http(s) and URLs relative to the page: `javascript:`, `data:`, `blob:` or `file:` never load weights or code. */
export function checkHttpUrl(raw: unknown, option: string, code: 'invalid_option' | 'invalid_model_spec'): URL {
  const fail = (why: string, cause?: unknown): EdgewiseError =>
    new EdgewiseError(code, `${option} ${why}: pass an http(s) URL or a path relative to the page.`, { details: { option }, ...(cause === undefined ? {} : { cause }) });
  if (typeof raw !== 'string' || raw === '') throw fail(`is ${describe(raw)}`);
  let u: URL;
  try {
    u = new URL(raw, globalThis.location?.href);
  } catch (cause) {
    throw fail(`"${raw}" is not a valid URL`, cause);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw fail(`uses the ${u.protocol} scheme`);
  return u;
}

/** The options of createEngine that are not about routing, checked; routing options are checked with the router. */
export function checkEngineOptions(options: unknown): EngineOptions {
  if (typeof options !== 'object' || options === null) {
    throw bad('options', `createEngine() got ${describe(options)}: pass an options object, e.g. { model: { id, url } } or { remote: { baseURL, model }, policy: 'remote-only' }.`);
  }
  const o = options as EngineOptions;
  if (o.cache !== undefined && typeof o.cache !== 'boolean') throw bad('cache', `cache is ${describe(o.cache)}: pass true (keep weights in IndexedDB, the default) or false.`);
  if (o.eviction !== undefined && o.eviction !== 'none' && o.eviction !== 'lru') throw bad('eviction', `eviction is ${describe(o.eviction)}: pass 'none' (the default: fail with quota_exceeded) or 'lru'.`);
  if (o.numThreads !== undefined && (typeof o.numThreads !== 'number' || !Number.isInteger(o.numThreads) || o.numThreads < 1 || o.numThreads > 64)) {
    throw bad('numThreads', `numThreads is ${describe(o.numThreads)}: pass an integer from 1 to 64, or leave it out for all cores.`);
  }
  if (o.device !== undefined && o.device !== 'auto' && o.device !== 'webgpu' && o.device !== 'wasm') {
    throw bad('device', `device is ${describe(o.device)}: pass 'auto' (the default: WebGPU when a real GPU fits the model, else WASM), 'webgpu' or 'wasm'.`);
  }
  if (o.assetsUrl !== undefined) checkHttpUrl(o.assetsUrl, 'assetsUrl', 'invalid_option');
  if (o.policy !== undefined) checkPolicy(o.policy, 'policy');
  checkLatencyBudget(o.maxLocalLatencyMs, 'maxLocalLatencyMs');
  if (o.wasmWeights !== undefined && !['auto', 'int8', 'fp32', 'source'].includes(o.wasmWeights as string)) {
    throw bad('wasmWeights', `wasmWeights is ${describe(o.wasmWeights)}: pass 'auto' (the default), 'int8', 'fp32' or 'source'.`);
  }
  if (o.wasmKernel !== undefined && typeof o.wasmKernel !== 'boolean') throw bad('wasmKernel', `wasmKernel is ${describe(o.wasmKernel)}: pass true (the default: the decoder kernel runs int8 forms it recognises) or false (onnxruntime-web runs every form).`);
  if (o.share !== undefined && typeof o.share !== 'boolean') throw bad('share', `share is ${describe(o.share)}: pass true (one model host for the origin's tabs), false (a worker of the page's own) or leave it out.`);
  if (o.capabilities !== undefined && (typeof o.capabilities !== 'object' || o.capabilities === null)) throw bad('capabilities', 'capabilities must be an object of facts to override, e.g. { deviceMemoryGiB: 4 }.');
  return o;
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
