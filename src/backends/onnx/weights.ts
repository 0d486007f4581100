/**
 * Gets a decoder's weights into the form they run in: the file as it is, or (on WASM) the
 * weight transform's output, read back from the cache when an earlier load stored it for
 * the same source file and transform version, made and stored otherwise. With
 * `wasmWeights: 'auto'` and both forms in reach, `form-measure.ts` picks one by timing.
 */
import { capabilities } from '../../capabilities.js';
import { defaultStore } from '../../store/idb.js';
import { FormLoader, type LoadedWeights, type WeightsRequest } from './form-loader.js';
import { chooseByMeasuring } from './form-measure.js';
import { planWeights } from './weight-form.js';

export async function loadWeights(r: WeightsRequest): Promise<LoadedWeights> {
  const store = r.load.cache === false ? undefined : defaultStore();
  const plan = r.device === 'wasm'
    ? planWeights(r.pref, r.model.dtype, r.config, capabilities().deviceMemoryGiB, store !== undefined && r.timer !== undefined)
    : { form: 'source' as const, reason: "WebGPU runs the file's own kernels" };
  const forms = new FormLoader(r, store);
  if (plan.form === 'source') return forms.asIs(plan.reason);
  if (plan.candidates && r.timer && store) return chooseByMeasuring(forms, plan.candidates, r.timer, store);
  return forms.load(plan.form, plan.reason);
}

