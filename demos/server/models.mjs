// `GET /api/models`: the models the demo can offer, first the default. Folders are read at
// request time, so a model copied in while the server runs shows up on the next reload.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

/**
 * The catalog's default model. src/catalog.ts is the source of truth (the demo imports
 * nothing from src/, which is TypeScript): keep this row in step with its first entry.
 */
const HUB_DEFAULT = { id: 'SmolLM2-135M-Instruct', url: 'https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/', dtype: 'q4' };

/** File of each dtype in the Optimum layout (as in src/ and the README), best first for a demo. */
const DTYPE_FILES = [
  ['q4', 'model_q4.onnx'],
  ['q4f16', 'model_q4f16.onnx'],
  ['int8', 'model_int8.onnx'],
  ['q8', 'model_quantized.onnx'],
  ['fp16', 'model_fp16.onnx'],
  ['fp32', 'model.onnx'],
];

const isDir = (path) => { try { return statSync(path).isDirectory(); } catch { return false; } };

function readJSON(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return undefined; }
}

/**
 * The dtypes a folder holds, best first, when it is a text-generation model in the Optimum
 * layout (`config.json` + `onnx/`); undefined for anything else (an embedding model, a
 * GGUF folder, an onnxruntime-genai folder).
 */
export function generationDtypes(dir) {
  const config = readJSON(join(dir, 'config.json'));
  if (!config || !isDir(join(dir, 'onnx'))) return undefined;
  const architectures = Array.isArray(config.architectures) ? config.architectures : [];
  const generates = architectures.some((a) => /(ForCausalLM|LMHeadModel)$/.test(String(a)))
    || (architectures.length === 0 && existsSync(join(dir, 'generation_config.json')));
  if (!generates) return undefined;
  const dtypes = DTYPE_FILES.filter(([, file]) => existsSync(join(dir, 'onnx', file))).map(([dtype]) => dtype);
  return dtypes.length > 0 ? dtypes : undefined;
}

const urlPath = (parts) => parts.map(encodeURIComponent).join('/');

/** The folder itself, its subfolders and theirs (`org/name`, as the hub lays them out). */
function modelFolders(root, depth = 2) {
  if (generationDtypes(root)) return [root];
  if (depth === 0) return [];
  let names = [];
  try { names = readdirSync(root).filter((n) => !n.startsWith('.')).sort(); } catch { return []; }
  return names.map((n) => join(root, n)).filter(isDir).flatMap((d) => modelFolders(d, depth - 1));
}

/** One row per folder of `--models-dir`, with the best dtype it holds. */
function localRows(modelsDir) {
  return modelFolders(modelsDir).map((dir) => {
    const rel = relative(modelsDir, dir);
    const dtype = generationDtypes(dir)[0];
    const id = rel ? basename(dir) : basename(modelsDir);
    return { id, url: `/models/local/${rel ? `${urlPath(rel.split(sep))}/` : ''}`, dtype, label: `${rel || id} (${dtype}, your folder)`, source: 'models-dir' };
  });
}

/** One row per dtype of each generation model in ../shared/models, best dtype first. */
function sharedRows(sharedDir) {
  if (!isDir(sharedDir)) return [];
  return readdirSync(sharedDir).sort().flatMap((name) => {
    const dtypes = generationDtypes(join(sharedDir, name)) ?? [];
    const id = name.replace(/-onnx$/, '');
    return dtypes.map((dtype) => ({ id, url: `/models/${encodeURIComponent(name)}/`, dtype, label: `${id} (${dtype}, local)`, source: 'shared' }));
  });
}

function fixtureRows(fixturesDir) {
  const dtypes = generationDtypes(join(fixturesDir, 'tiny-llama'));
  if (!dtypes) return [];
  const dtype = dtypes[0];
  return [{ id: 'tiny-llama', url: '/models/fixtures/tiny-llama/', dtype, label: `tiny-llama fixture (${dtype}, random weights: gibberish by design)`, source: 'fixture' }];
}

/**
 * `{ id, url, dtype, label, source }` rows. With `--models-dir` its models come first (the
 * first is the default), then the hub model; without it the hub model is the default.
 */
export function listModels({ modelsDir, sharedDir, fixturesDir }) {
  const hub = { ...HUB_DEFAULT, label: `${HUB_DEFAULT.id} (${HUB_DEFAULT.dtype}, downloaded from the Hugging Face hub)`, source: 'hub' };
  return [
    ...(modelsDir ? localRows(modelsDir) : []),
    hub,
    ...sharedRows(sharedDir),
    ...fixtureRows(fixturesDir),
  ];
}
