/**
 * One decoder session with its KV cache: checks the graph's I/O layout once, then
 * runs forward steps that feed `present.*` back in as `past_key_values.*`.
 */
import type * as Ort from 'onnxruntime-web';
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import type { DecoderConfig } from './config.js';
import type { OrtModule } from './runtime.js';
import { halfToFloat } from './half.js';

type Feeds = Record<string, Ort.Tensor>;

/** Fails fast, with a typed error, on graphs whose cache layout we cannot drive. */
export function checkLayout(session: Ort.InferenceSession, cfg: DecoderConfig): { hasPositionIds: boolean; kvDtype: 'float32' | 'float16' } {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const missing: string[] = [];
  for (const name of ['input_ids', 'attention_mask']) if (!inputs.has(name)) missing.push(name);
  if (!outputs.has('logits')) missing.push('logits (output)');
  for (let i = 0; i < cfg.numLayers; i++) {
    for (const kv of ['key', 'value']) {
      if (!inputs.has(`past_key_values.${i}.${kv}`)) missing.push(`past_key_values.${i}.${kv}`);
      if (!outputs.has(`present.${i}.${kv}`)) missing.push(`present.${i}.${kv} (output)`);
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 4).join(', ') + (missing.length > 4 ? `, … (${missing.length} in all)` : '');
    throw new EdgewiseError('unsupported_model', `The ONNX graph does not have the Optimum KV-cache layout this backend drives: missing ${shown}. Graph inputs: ${session.inputNames.slice(0, 6).join(', ')}…`);
  }
  return { hasPositionIds: inputs.has('position_ids'), kvDtype: kvDtypeOf(session) ?? cfg.kvDtype };
}

/**
 * The cache's element type as the graph declares it. More reliable than config.json,
 * whose `kv_cache_dtype` is often one value for every weight file in the folder.
 */
function kvDtypeOf(session: Ort.InferenceSession): 'float32' | 'float16' | undefined {
  const meta = session.inputMetadata?.find((m) => m.name === 'past_key_values.0.key');
  return meta?.isTensor && (meta.type === 'float16' || meta.type === 'float32') ? meta.type : undefined;
}

export const deviceLostError = (why: string, cause?: unknown): EdgewiseError => new EdgewiseError('device_lost', `The GPU device was lost (${why}); the engine starts a fresh worker on the next call.`, { details: { device: 'webgpu' }, ...(cause === undefined ? {} : { cause }) });

/** The graph's KV-cache outputs: on WebGPU they stay on the GPU between steps. */
export function presentNames(numLayers: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < numLayers; i++) out.push(`present.${i}.key`, `present.${i}.value`);
  return out;
}

/** What the decode loop drives: onnxruntime-web's session (`Decoder`) or the decoder kernel (`kernel/decoder.ts`). */
export interface StepDecoder {
  /** Positions in the cache. */
  readonly length: number;
  /** Empties the cache: every request starts from a clean context. */
  reset(): void;
  /** Runs `ids` through the model after the cached context; returns the last row of logits. */
  step(ids: readonly number[]): Promise<Float32Array>;
  /** Releases what the decoder holds outside its session (the kernel's helper threads). */
  dispose?(): void;
}

export class Decoder implements StepDecoder {
  private past: Feeds = {};
  private pastLength = 0;
  private readonly hasPositionIds: boolean;
  private readonly kvDtype: 'float32' | 'float16';
  /** GPU-resident cache tensors held right now: stays at 2 × layers, or the cache leaks. */
  private liveGpu = 0;
  /** Set when the GPU device is gone: every later step fails typed instead of hanging. */
  private lost: string | undefined;
  /** Fails the step in flight, if any, when the device goes (see lose()). */
  private failRun: ((e: EdgewiseError) => void) | undefined;

  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession, private readonly cfg: DecoderConfig) {
    ({ hasPositionIds: this.hasPositionIds, kvDtype: this.kvDtype } = checkLayout(session, cfg));
    this.reset();
  }

  /**
   * The GPU device is gone. A run already in flight on it may never settle (its buffer
   * reads wait on a device that no longer answers), so it fails now, typed, rather than
   * leaving the stream hanging.
   */
  lose(why: string): void {
    this.lost ??= why;
    this.failRun?.(deviceLostError(this.lost));
  }

  get liveGpuTensors(): number {
    return this.liveGpu;
  }

  /** Releases cache tensors the GPU holds (the next step's outputs replace them). */
  private release(past: Feeds): void {
    for (const t of Object.values(past)) {
      if (t.location === 'gpu-buffer') {
        t.dispose();
        this.liveGpu--;
      }
    }
  }

  get length(): number {
    return this.pastLength;
  }

  /** Empties the cache: every request starts from a clean context. */
  reset(): void {
    const { ort, cfg, kvDtype } = this;
    const empty = kvDtype === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    this.release(this.past);
    this.past = {};
    for (let i = 0; i < cfg.numLayers; i++) {
      for (const kv of ['key', 'value']) {
        this.past[`past_key_values.${i}.${kv}`] = new ort.Tensor(kvDtype, empty, [1, cfg.numKvHeads, 0, cfg.headDim]);
      }
    }
    this.pastLength = 0;
  }

  /** Runs `ids` through the model after the cached context; returns the last row of logits. */
  async step(ids: readonly number[]): Promise<Float32Array> {
    const { ort } = this;
    const n = ids.length;
    const total = this.pastLength + n;
    const feeds: Feeds = {
      ...this.past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.hasPositionIds) {
      const pos = new BigInt64Array(n);
      for (let i = 0; i < n; i++) pos[i] = BigInt(this.pastLength + i);
      feeds['position_ids'] = new ort.Tensor('int64', pos, [1, n]);
    }
    if (this.lost) throw deviceLostError(this.lost);
    let out: Ort.InferenceSession.OnnxValueMapType;
    try {
      out = await new Promise<Ort.InferenceSession.OnnxValueMapType>((resolve, reject) => {
        this.failRun = reject;
        this.session.run(feeds).then(resolve, reject);
      });
    } catch (cause) {
      if (isEdgewiseError(cause)) throw cause;
      if (this.lost) throw deviceLostError(this.lost, cause);
      throw new EdgewiseError('runtime_error', `onnxruntime-web failed during a forward pass: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    } finally {
      this.failRun = undefined;
    }
    const previous = this.past;
    this.past = {};
    for (let i = 0; i < this.cfg.numLayers; i++) {
      for (const kv of ['key', 'value']) {
        const t = out[`present.${i}.${kv}`] as Ort.Tensor;
        if (t.location === 'gpu-buffer') this.liveGpu++;
        this.past[`past_key_values.${i}.${kv}`] = t;
      }
    }
    this.release(previous);
    this.pastLength = total;
    return this.lastLogits(out['logits'] as Ort.Tensor);
  }

  private lastLogits(logits: Ort.Tensor): Float32Array {
    const vocab = logits.dims[logits.dims.length - 1] ?? 0;
    const data = logits.data;
    const start = data.length - vocab;
    // A view, not a copy: on WASM each run's outputs are fresh JS arrays, so nothing else
    // holds this one (and the sampler may edit it in place).
    if (data instanceof Float32Array) return data.subarray(start);
    if (data instanceof Uint16Array) return Float32Array.from(data.subarray(start), halfToFloat);
    // Float16Array, where the browser has it, converts to numbers on read.
    if (logits.type === 'float16') return Float32Array.from(Array.prototype.slice.call(data, start) as number[]);
    throw new EdgewiseError('unsupported_model', `Logits have type ${logits.type}; expected float32 or float16.`);
  }
}
