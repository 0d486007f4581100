/**
 * `wasmWeights: 'auto'` decided by measurement: which form decoded faster on this device,
 * the record that remembers it, and the words `info().model.weights.reason` uses. Pure:
 * the timing is `form-timing.ts`, the storing `form-record.ts`.
 */
import type { MeasuredForm } from './weight-form.js';

/** Decode speed per form, in tokens per second. */
export type FormSpeeds = Partial<Record<MeasuredForm, number>>;

/**
 * int8 must decode this much faster to win: the fp32 form computes exactly what the file
 * does, int8 approximates it (docs/speed.md, "Quality"), and on small models the two differ by
 * less than timing noise on a busy machine. A tie goes to the exact form.
 */
export const INT8_MARGIN = 1.1;

/** What the remembered choice depends on, besides the model and its source file. */
export interface DeviceFacts {
  /** WASM threads the runtime runs (1 without cross-origin isolation). */
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  userAgent: string;
}

/** The browser and its major version, e.g. `chrome156`: a new engine version may change the kernels. */
export function browserMajor(userAgent: string): string {
  // Order matters: Edge and Opera also say Chrome/, Chrome also says Safari/.
  for (const [name, re] of [['edge', /Edg\/(\d+)/], ['opera', /OPR\/(\d+)/], ['firefox', /Firefox\/(\d+)/], ['chrome', /Chrom(?:e|ium)\/(\d+)/], ['safari', /Version\/(\d+)/]] as const) {
    const m = re.exec(userAgent);
    if (m) return `${name}${m[1]}`;
  }
  return 'unknown';
}

/** A file-name-safe signature of the device facts, e.g. `2t-coi-2c-chrome156`. */
export function deviceSignature(f: DeviceFacts): string {
  return `${f.threads}t-${f.crossOriginIsolated ? 'coi' : 'nocoi'}-${f.hardwareConcurrency}c-${browserMajor(f.userAgent)}`;
}

/** Where a model's record lives, beside its derived forms (one record per device signature). */
export const recordPath = (signature: string, transformVersion: number): string => `edgewise/wasm-choice/v${transformVersion}/${signature}.json`;
/** The maker tag of the record: the source file's sha256 and the transform version are part of it. */
export const recordMaker = (transformVersion: number): string => `wasm-choice/v${transformVersion}`;

export interface FormRecord {
  form: MeasuredForm;
  tokensPerSecond: FormSpeeds;
  signature: string;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/**
 * The winner of a measurement; undefined when no form could be timed.
 * @example pickForm({ int8: 38, fp32: 31 }) // 'int8'
 */
export function pickForm(speeds: FormSpeeds): MeasuredForm | undefined {
  const { int8, fp32 } = speeds;
  if (int8 === undefined) return fp32 === undefined ? undefined : 'fp32';
  if (fp32 === undefined) return 'int8';
  return int8 >= fp32 * INT8_MARGIN ? 'int8' : 'fp32';
}

const tps = (v: number): string => (v >= 100 ? `${Math.round(v)}` : v.toFixed(1));

/** `measured on this device: int8 38 tok/s vs fp32 31 tok/s` (the winner first). */
export function measuredReason(r: Pick<FormRecord, 'form' | 'tokensPerSecond'>, remembered: boolean): string {
  const order = [r.form, ...(['int8', 'fp32'] as const).filter((f) => f !== r.form)];
  const figures = order.filter((f) => r.tokensPerSecond[f] !== undefined).map((f) => `${f} ${tps(r.tokensPerSecond[f] as number)} tok/s`).join(' vs ');
  const tie = r.form === 'fp32' && (r.tokensPerSecond.int8 ?? 0) > (r.tokensPerSecond.fp32 ?? 0) ? ` (int8 must be ${INT8_MARGIN}× faster to replace the exact form)` : '';
  return `${remembered ? 'measured on this device by an earlier load' : 'measured on this device'}: ${figures}${tie}`;
}

export function encodeRecord(r: FormRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(r));
}

/** The record, or undefined when the bytes are not one (a damaged or foreign file is measured again). */
export function parseRecord(bytes: Uint8Array | undefined, signature: string): FormRecord | undefined {
  if (!bytes) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<FormRecord>;
  if ((r.form !== 'int8' && r.form !== 'fp32') || r.signature !== signature || typeof r.measuredAt !== 'string') return undefined;
  const speeds: FormSpeeds = {};
  for (const f of ['int8', 'fp32'] as const) {
    const s = (r.tokensPerSecond as Record<string, unknown> | undefined)?.[f];
    if (typeof s === 'number' && Number.isFinite(s) && s > 0) speeds[f] = s;
  }
  if (speeds[r.form] === undefined) return undefined;
  return { form: r.form, tokensPerSecond: speeds, signature, measuredAt: r.measuredAt };
}
