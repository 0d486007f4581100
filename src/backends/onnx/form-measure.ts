/**
 * `wasmWeights: 'auto'` with both forms in reach: the first load on a device builds each
 * form, times its decode speed (`form-timing.ts`) and runs the faster one; the result is
 * remembered in the weight cache, so later loads go straight to the winner.
 *
 * The record is a tiny derived file beside the forms themselves
 * (`edgewise/wasm-choice/v<transform>/<device signature>.json`), tagged like them with the
 * source file's sha256 and the transform version: it is stale exactly when they are, and
 * `engine.cache.delete()`, eviction and a cleared cache remove it with the model. A store of
 * its own would outlive the model it speaks of.
 */
import { now } from '../../clock.js';
import { EdgewiseError, isEdgewiseError } from '../../errors.js';
import { loadModelFiles } from '../../store/index.js';
import { deleteDerived, hasDerived, storeDerived, type DerivedSource } from '../../store/derived.js';
import type { UseStore } from '../../store/idb.js';
import { encodeRecord, measuredReason, parseRecord, pickForm, recordMaker, recordPath, type FormRecord, type FormSpeeds } from './form-choice.js';
import type { FormTimer } from './form-timing.js';
import type { MeasuredForm } from './weight-form.js';
import type { FormLoader, LoadedWeights } from './form-loader.js';

export async function chooseByMeasuring(forms: FormLoader, candidates: readonly MeasuredForm[], timer: FormTimer, store: UseStore): Promise<LoadedWeights> {
  const { r } = forms;
  const { TRANSFORM_VERSION } = await forms.transform();
  const path = recordPath(timer.signature, TRANSFORM_VERSION);
  const src: DerivedSource = { key: r.model.key, baseUrl: r.model.url, path: r.onnxFile, maker: recordMaker(TRANSFORM_VERSION) };

  const remembered = await readRecord(forms, store, src, path, timer.signature);
  if (remembered) {
    const w = await forms.load(remembered.form, measuredReason(remembered, true));
    return { ...w, weights: { ...w.weights, choice: { by: 'remembered', tokensPerSecond: remembered.tokensPerSecond } } };
  }

  const started = now();
  const speeds: FormSpeeds = {};
  const built = new Map<MeasuredForm, LoadedWeights>();
  let failure: unknown;
  for (const form of candidates) {
    const w = await forms.load(form, '');
    // The file cannot be rewritten: there is nothing to choose between.
    if (w.weights.form === 'source') return w;
    try {
      speeds[form] = await timer.time(w.graph, w.external);
      built.set(form, w);
    } catch (e) {
      if (isEdgewiseError(e) && e.code === 'aborted') throw e;
      // A form the runtime will not open loses, and is not kept.
      failure = e;
      await deleteForm(forms, store, form);
    }
    if (r.load.signal?.aborted) throw new EdgewiseError('aborted', 'Loading was aborted.');
  }
  const form = pickForm(speeds);
  const winner = form && built.get(form);
  if (!form || !winner) throw failure ?? new EdgewiseError('runtime_error', 'No weight form could be timed; this is a bug in edgewise.');
  for (const f of candidates) if (f !== form) await deleteForm(forms, store, f);
  const record: FormRecord = { form, tokensPerSecond: speeds, signature: timer.signature, measuredAt: new Date().toISOString() };
  // Best effort, like the forms: without it the next load measures again.
  await storeDerived(store, src, new Map([[path, encodeRecord(record)]]), r.load.signal).catch(() => false);
  // The cost of choosing: building the other form and timing both (the winner's own rewrite is transformMs).
  const measureMs = Math.max(0, now() - started - (winner.weights.transformMs ?? 0));
  return { ...winner, weights: { ...winner.weights, reason: measuredReason(record, false), choice: { by: 'measured', tokensPerSecond: speeds, measureMs } } };
}

async function readRecord(forms: FormLoader, store: UseStore, src: DerivedSource, path: string, signature: string): Promise<FormRecord | undefined> {
  if (!(await hasDerived(store, src, [path]))) return undefined;
  // Not counted in the load's progress: a few bytes, read before the weights.
  const { onProgress: _quiet, ...load } = forms.r.load;
  try {
    return parseRecord((await loadModelFiles({ ...load, files: [{ path }] })).get(path), signature);
  } catch (e) {
    if (isEdgewiseError(e) && e.code === 'aborted') throw e;
    await deleteDerived(store, src.key, [path]).catch(() => undefined);
    return undefined;
  }
}

async function deleteForm(forms: FormLoader, store: UseStore, form: MeasuredForm): Promise<void> {
  const { graphPath, dataPath, src } = await forms.stored(form);
  await deleteDerived(store, src.key, [graphPath, dataPath]).catch(() => undefined);
}
