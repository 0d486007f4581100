// Which model the demo server's /v1 runs, best first: the folder given with
// `--remote-model-dir`; else a larger instruct model than the page's from the hub (when the
// hub answers within a couple of seconds, or when an earlier run left it in the cache);
// else stories260K from ../shared/models; else none, and the stand-in answers.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { generationDtypes } from './models.mjs';

/** Larger than the page's SmolLM2-135M, still quick on a laptop CPU. */
export const HUB_MODEL = Object.freeze({ repo: 'HuggingFaceTB/SmolLM2-360M-Instruct', dtype: 'q4' });
export const HUB = 'https://huggingface.co';
/** Where hub downloads stay between runs (transformers.js' default sits in node_modules, which `npm ci` wipes). */
export const HUB_CACHE = join(homedir(), '.cache', 'edgewise-demo');
/** An offline machine must not hold the model (or CI's start check) back: fail fast, fall back silently. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * @typedef {{ id: string, source: 'dir', dir: string, dtype: string }
 *   | { id: string, source: 'hub', repo: string, dtype: string, cacheDir: string, cached: boolean }} ModelChoice
 */

/**
 * A local folder in the transformers.js layout as a choice. The server runs on the CPU, where
 * fp32 is exact and native (and the stories260K oracle is fp32), so fp32 comes first when
 * the folder has it; else the folder's best form (models.mjs' order).
 * @returns {ModelChoice | undefined}
 */
export function folderChoice(dir) {
  const dtypes = generationDtypes(dir);
  if (!dtypes?.length) return undefined;
  return { id: basename(dir), source: 'dir', dir, dtype: dtypes.includes('fp32') ? 'fp32' : dtypes[0] };
}

/** Whether the hub serves the model's config within PROBE_TIMEOUT_MS (any failure: no). */
export async function hubReachable(repo = HUB_MODEL.repo, fetchImpl = fetch) {
  try {
    const res = await fetchImpl(`${HUB}/${repo}/resolve/main/config.json`, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.status < 400;
  } catch {
    return false;
  }
}

/**
 * The models to try, in order; the endpoint loads the first that works.
 * @param {{ remoteModelDir?: string, sharedDir: string, cacheDir?: string, probe?: () => Promise<boolean> }} options
 * @returns {Promise<ModelChoice[]>}
 */
export async function modelChoices({ remoteModelDir, sharedDir, cacheDir = HUB_CACHE, probe = hubReachable }) {
  if (remoteModelDir) {
    const own = folderChoice(remoteModelDir);
    return own ? [own] : [];
  }
  const out = [];
  // transformers.js' file cache keeps the repo's layout under cache_dir.
  const cached = existsSync(join(cacheDir, HUB_MODEL.repo, 'config.json'));
  if (cached || await probe()) out.push({ id: HUB_MODEL.repo, source: 'hub', repo: HUB_MODEL.repo, dtype: HUB_MODEL.dtype, cacheDir, cached });
  const stories = folderChoice(join(sharedDir, 'stories260K-onnx'));
  if (stories) out.push(stories);
  return out;
}
