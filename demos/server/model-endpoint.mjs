// The demo server's /v1: a real model when one loads (model-choice.mjs picks it, in the
// background, so the server listens at once), else the labelled stand-in. Embeddings are
// always the stand-in's (labelled by its model name): the chat models here do not embed.
import { createQueue, handleChat } from './chat-completions.mjs';
import { loadModel } from './local-model.mjs';
import { readPost, sendError } from './openai-wire.mjs';
import { CHAT_MODEL, EMBEDDING_MODEL, handleStandIn, standInChat } from './stand-in.mjs';
import { sendJSON } from './static.mjs';

export const STAND_IN_LABEL = 'local stand-in endpoint (no real model)';
/** A chat request waits this long for a model still loading, then gets a 503 with Retry-After. */
const LOAD_WAIT_MS = 20_000;

/**
 * @param {{
 *   choices: Promise<import('./model-choice.mjs').ModelChoice[]> | import('./model-choice.mjs').ModelChoice[],
 *   load?: typeof loadModel,
 *   log?: (line: string) => void,
 *   onEnd?: Parameters<typeof handleChat>[3]['onEnd'],
 * }} options
 */
export function createModelEndpoint({ choices, load = loadModel, log = console.log, onEnd }) {
  const queue = createQueue();
  /** @type {{ phase: 'choosing' | 'loading' | 'ready' | 'stand-in', id?: string, model?: Awaited<ReturnType<typeof loadModel>>, progress?: string }} */
  const state = { phase: 'choosing' };
  let decide;
  /** Settles once the model to try first is known (or none is). */
  const decided = new Promise((ok) => { decide = ok; });

  const ready = (async () => {
    let list = [];
    try { list = await choices; } catch (e) { log(`  /v1: no model choice (${e?.message ?? e})`); }
    for (const choice of list) {
      state.phase = 'loading';
      state.id = choice.id;
      decide();
      log(`  /v1: loading ${choice.id} (${choice.dtype}) from ${choice.source === 'dir' ? choice.dir : `the hub${choice.cached ? ', cached' : ''}`}`);
      const started = Date.now();
      try {
        state.model = await load(choice, { onProgress: progressLogger(log, (p) => { state.progress = p; }) });
        state.phase = 'ready';
        log(`  /v1: ${choice.id} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (transformers.js on onnxruntime-node, context ${state.model.contextLength}, ${state.model.hasChatTemplate ? 'chat template' : 'plain-text prompts'})`);
        return;
      } catch (e) {
        log(`  /v1: ${choice.id} did not load: ${e?.message ?? e}`);
      }
    }
    state.phase = 'stand-in';
    state.id = CHAT_MODEL;
    decide();
    log(`  /v1: the stand-in answers (no real model)`);
  })();

  /** Waits for the load, up to `ms`; true when a model is ready. */
  const waitReady = (ms) => Promise.race([ready, new Promise((ok) => setTimeout(ok, ms).unref())]).then(() => state.phase === 'ready');

  async function chat(req, res) {
    const body = await readPost(req, res);
    if (!body) return;
    if (state.phase === 'stand-in') return standInChat(req, res, body);
    if (!(await waitReady(LOAD_WAIT_MS))) {
      if (state.phase === 'stand-in') return standInChat(req, res, body);
      return sendError(res, 503, `The model ${state.id} is still loading${state.progress ? ` (${state.progress})` : ''}; try again shortly.`, 'server_error', 'model_loading', { 'Retry-After': '10' });
    }
    return handleChat(req, res, body, { model: /** @type {NonNullable<typeof state.model>} */ (state.model), queue, onEnd });
  }

  return {
    ready,
    get state() { return { phase: state.phase, id: state.id, queued: queue.length }; },
    /** What /api/config tells the page about this endpoint (waits for the choice, not the load). */
    async config(baseURL) {
      await decided;
      return state.phase === 'stand-in'
        ? { baseURL, model: CHAT_MODEL, label: STAND_IN_LABEL }
        : { baseURL, model: state.id, label: `${state.id} on the demo server (transformers.js in Node)` };
    },
    /** Answers every request under /v1. */
    async handle(req, res, path) {
      if (state.phase === 'stand-in' || path === '/v1/embeddings') return handleStandIn(req, res, path);
      if (path === '/v1/chat/completions') return chat(req, res);
      if (path === '/v1/models') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET.');
        const data = [
          { id: state.id, object: 'model', created: 1700000000, owned_by: 'edgewise-demo (transformers.js on onnxruntime-node)' },
          { id: EMBEDDING_MODEL, object: 'model', created: 1700000000, owned_by: 'edgewise-demo (stand-in, no real model)' },
        ];
        return sendJSON(res, 200, { object: 'list', data });
      }
      return sendError(res, 404, `No route ${req.method} ${path} on the demo endpoint.`);
    },
  };
}

/** Download progress as a terminal line per file at every tenth, never 100% before the last byte. */
function progressLogger(log, remember) {
  const shown = new Map();
  return ({ file, loaded, total }) => {
    const tenth = Math.floor((loaded / total) * 10);
    const pct = loaded >= total ? 100 : Math.min(99, Math.floor((loaded / total) * 100));
    remember(`${file} ${pct}%`);
    if (shown.get(file) === tenth) return;
    shown.set(file, tenth);
    log(`  /v1: downloading ${file} ${pct}% (${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)`);
  };
}
