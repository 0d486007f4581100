// The documents index: which embedding model makes its vectors, the engine that runs it,
// and the index itself (edgewise/search, loaded only when the panel opens).
//
// The index has an engine of its own, with the embedding model only: the chat engine is
// recreated whenever the chat model or the endpoint changes, and the index must keep one
// embedding model for as long as it lives (another one is a `model_mismatch`). Both
// engines share the weight cache, so the weights are stored once.
import { createEngine } from '/dist/edgewise.js';
import { load, save } from './prefs.js';

/**
 * @typedef {object} EmbeddingChoice
 * @property {string} key    part of the index name
 * @property {string} id
 * @property {string} url
 * @property {'fp32'} dtype
 * @property {string} label
 * @property {string} [warning]   why its results mean nothing
 */

/** @type {readonly EmbeddingChoice[]} */
const CHOICES = Object.freeze([
  Object.freeze({ key: 'glove', id: 'glove-100d-static', url: '/models/glove-100d-static-onnx/', dtype: 'fp32', label: 'GloVe 100d (fp32)' }),
  Object.freeze({ key: 'tiny-bert', id: 'tiny-bert', url: '/models/fixtures/tiny-bert/', dtype: 'fp32', label: 'tiny-bert', warning: 'test fixture: random weights, search quality is not meaningful' }),
]);

/**
 * GloVe when the server has it (`../shared/models`), else the generated fixture. The
 * answer is remembered: offline, or when the server cannot say, the last choice stands,
 * since its weights are the ones stored on this device and its index is the one kept.
 * @returns {Promise<EmbeddingChoice>}
 */
async function chooseEmbeddingModel() {
  const remembered = CHOICES.find((c) => c.key === load('embedding-model', ''));
  if (!navigator.onLine && remembered) return remembered;
  let answer;
  try {
    const res = await fetch(`${CHOICES[0].url}config.json`, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(4000) });
    answer = res.ok ? CHOICES[0] : CHOICES[1];
  } catch {
    answer = remembered ?? CHOICES[1];
  }
  save('embedding-model', answer.key);
  return answer;
}

/**
 * Loads edgewise/search, then picks the model (so a build without search asks nothing).
 * @returns {Promise<{ index: import('/dist/edgewise.search.js').SearchIndex, engine: import('/dist/edgewise.js').Engine, choice: EmbeddingChoice } | { missing: string }>}
 */
export async function openIndex() {
  /** @type {Partial<typeof import('/dist/edgewise.search.js')>} */
  let search;
  try {
    search = await import('/dist/edgewise.search.js');
  } catch (e) {
    return { missing: `edgewise/search could not load: ${/** @type {Error} */ (e)?.message ?? e}` };
  }
  if (typeof search.createIndex !== 'function') return { missing: 'This build of edgewise has no search yet (edgewise/search exports no createIndex).' };
  const choice = await chooseEmbeddingModel();
  const engine = createEngine({ embeddingModel: { id: choice.id, url: choice.url, dtype: choice.dtype }, policy: 'local-only' });
  // One index per embedding model: a server that gains GloVe later starts a new index
  // instead of failing with `model_mismatch` on the fixture's.
  const index = await search.createIndex({ engine, name: `assistant-docs-${choice.key}` });
  return { index, engine, choice };
}
