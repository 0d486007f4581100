// The assistant's wiring: boot (service worker, server config, model list, engine), the
// composer (Enter sends, Shift+Enter is a new line, Stop aborts), and the panels.
import { isEdgewiseError } from '/dist/edgewise.js';
import { createCachePanel } from './cache-panel.js';
import { createChat } from './chat.js';
import { createDocuments } from './documents.js';
import { byId } from './dom.js';
import { ranOnLabel } from './format.js';
import { createInsight } from './insight.js';
import { createModelPicker } from './models.js';
import { watchOnline } from './offline.js';
import { fetchRemembered, load, save } from './prefs.js';
import { createProgress } from './progress.js';
import { createSession } from './session.js';
import { createSettings } from './settings.js';
import { registerServiceWorker } from './sw-register.js';

const MAX_TOKENS = 256;
// Small local models have small contexts (stories260K: 512 tokens): send the recent turns only.
const HISTORY_MESSAGES = 8;
const POLICIES = ['local-only', 'prefer-local', 'prefer-remote', 'remote-only'];

const prompt = /** @type {HTMLTextAreaElement} */ (byId('prompt'));
const send = /** @type {HTMLButtonElement} */ (byId('send'));
const stop = /** @type {HTMLButtonElement} */ (byId('stop'));
const policy = /** @type {HTMLSelectElement} */ (byId('policy'));
const askDocs = /** @type {HTMLInputElement} */ (byId('ask-docs'));
const status = byId('model-status');
const notice = byId('notice');

const chat = createChat(byId('messages'));
const insight = createInsight(byId('insight'));
const documents = createDocuments(byId('documents'));
const progress = createProgress();
/** @type {{ role: 'user' | 'assistant', content: string }[]} */
let history = [];
/** @type {AbortController | undefined} */
let inFlight;
/** The remote endpoint's model, for the badge of an answer that ran there. @type {string | undefined} */
let remoteModel;

const say = (/** @type {string} */ text) => { notice.textContent = text; notice.hidden = text === ''; };

const session = createSession({
  progress,
  onEngine: () => {
    insight.showStats(session.engine?.stats());
    if (policy.value !== 'remote-only') void session.ensureLoaded();
    void cache.refresh();
    showStatus();
  },
  onLoaded: () => { void cache.refresh(); void showStatus(); },
});
const cache = createCachePanel(byId('cache'), { engine: () => session.engine, onChange: (keys) => picker?.markCached(keys) });
/** @type {Awaited<ReturnType<typeof createModelPicker>> | undefined} */
let picker;

async function showStatus() {
  const engine = session.engine;
  if (!engine) { status.textContent = 'No model'; return; }
  const info = await engine.info().catch(() => undefined);
  const m = info?.model;
  const name = engine.model?.id;
  // On WASM: the weight form (int8 after the on-device rewrite, fp32, or the file as is) and threads.
  const cpu = m?.weights && m.weights.form !== 'source' ? ` · ${m.weights.form}` : '';
  const threads = m?.threads ? ` · ${m.threads} thread${m.threads === 1 ? '' : 's'}` : '';
  status.textContent = m
    ? `${name} · ${ranOnLabel(m.ranOn)}${cpu}${threads}`
    : name ? `${name} · not loaded yet` : `Remote only · ${info?.remote?.model ?? ''}`;
  status.title = [m?.detail, m?.weights?.reason].filter(Boolean).join('; ');
}

async function ask() {
  const text = prompt.value.trim();
  const engine = session.engine;
  if (!text || inFlight || !engine) return;
  // A documents question stands alone: its passages are its context, not the conversation.
  const cited = askDocs.checked ? documents.cite(text) : undefined;
  prompt.value = '';
  chat.addUser(text);
  if (!cited) history.push({ role: 'user', content: text });
  const answer = chat.addAnswer(cited ? { decorate: cited.decorate } : {});
  cited?.mount(answer.el);
  const abort = (inFlight = new AbortController());
  setBusy(true);
  if (policy.value !== 'remote-only') void session.ensureLoaded();
  try {
    const options = { maxTokens: MAX_TOKENS, policy: /** @type {import('/dist/edgewise.js').Policy} */ (policy.value), signal: abort.signal };
    const parts = cited ? cited.parts(engine, options) : engine.generate({ ...options, messages: history.slice(-HISTORY_MESSAGES) });
    for await (const part of parts) {
      if (part.type === 'source') cited?.add(part);
      else if (part.type === 'text') answer.append(part.text);
      else if (part.type === 'finish') {
        document.body.dataset.lastRanOn = part.ranOn;
        document.body.dataset.lastReason = part.route.reason;
        delete document.body.dataset.lastError;
        insight.record(part);
        answer.finish(part, { remoteModel });
        if (answer.text() && !cited) history.push({ role: 'assistant', content: answer.text() });
      }
    }
  } catch (e) {
    document.body.dataset.lastError = isEdgewiseError(e) ? e.code : 'error';
    insight.fail(e);
    answer.fail(e);
    if (!cited) history.pop();
  } finally {
    inFlight = undefined;
    setBusy(false);
    insight.showStats(session.engine?.stats());
    if (session.engine === engine && !session.loaded) void showStatus();
    prompt.focus();
  }
}

/** @param {boolean} busy */
function setBusy(busy) {
  send.disabled = busy;
  stop.disabled = !busy;
  document.body.dataset.busy = String(busy);
}

byId('composer').addEventListener('submit', (e) => { e.preventDefault(); void ask(); });
prompt.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); void ask(); }
  if (e.key === 'Escape' && inFlight) inFlight.abort();
});
stop.addEventListener('click', () => { inFlight?.abort(); prompt.focus(); });
byId('new-chat').addEventListener('click', () => {
  inFlight?.abort();
  history = [];
  byId('messages').querySelectorAll('.msg').forEach((m) => m.remove());
  prompt.focus();
});

policy.value = POLICIES.includes(load('policy', '')) ? load('policy', '') : 'prefer-local';
policy.addEventListener('change', () => {
  save('policy', policy.value);
  if (policy.value !== 'remote-only') void session.ensureLoaded();
});

async function boot() {
  watchOnline();
  void registerServiceWorker(say);
  const { value: config } = await fetchRemembered('/api/config', 'config', /** @type {{ remote?: { baseURL?: string, model?: string, label?: string } }} */ ({}));
  picker = await createModelPicker((entry) => {
    const error = session.setModel(entry);
    say(error ?? '');
  });
  session.setModel(picker.current(), false);
  // The first apply creates the engine, with the remote endpoint it names.
  createSettings(config?.remote, (s) => {
    const error = session.setRemote(s);
    if (!error) remoteModel = s.model;
    say(error ?? '');
    return error;
  }).apply();
  document.body.dataset.ready = 'true';
}

boot().catch((e) => {
  say(`The app could not start: ${e?.message ?? e}`);
  console.error(e);
});
