/**
 * Acceptance (issue 3): a model loaded once loads again in a new page with the network
 * blocked, from IndexedDB alone, and generates the same greedy text; not one request
 * reaches the model server. The chrome launcher keeps IndexedDB on disk.
 */
import { createEngine } from '/dist/edgewise.js';
import { FIXTURE_URL, MODEL_SERVER, STORIES_URL, assert, assertEqual, resetServer, serverLog, sharedModelsAvailable } from './helpers.js';

interface FrameResult { text?: string; sources?: string[]; cached?: boolean; error?: { code: string; message: string } }

function frameUrl(id: string, url: string, dtype: string): string {
  const q = new URLSearchParams({ id, url, dtype, prompt: 'Once upon a time', maxTokens: '48' });
  return `/test/browser/harness/generate-frame.html?${q}`;
}

/** Loads (or reloads) the frame and waits for its report. */
function runFrame(frame: HTMLIFrameElement, load: () => void): Promise<FrameResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the frame did not report within 60 s')), 60_000);
    const onMessage = (ev: MessageEvent<FrameResult & { edgewiseFrame?: boolean }>): void => {
      if (ev.source !== frame.contentWindow || !ev.data.edgewiseFrame) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(ev.data);
    };
    window.addEventListener('message', onMessage);
    load();
  });
}

async function setOffline(on: boolean): Promise<void> {
  await fetch(`${MODEL_SERVER}/__ctl/offline`, { method: 'POST', body: JSON.stringify({ on }) });
}

async function checkOfflineReload(id: string, url: string, dtype: 'q4' | 'fp32'): Promise<void> {
  await resetServer();
  const online = createEngine({ model: { id, url, dtype } });
  await online.cache.delete();
  await online.load();
  const expected = await online.text({ prompt: 'Once upon a time', maxTokens: 48, temperature: 0 });
  assert(await online.cache.has(), 'the model is complete in the cache after the first load');
  await online.dispose();
  assert((await serverLog()).length > 0, 'the first load went over the network');

  await resetServer();
  await setOffline(true);
  const frame = document.createElement('iframe');
  document.body.append(frame);
  try {
    const first = await runFrame(frame, () => { frame.src = frameUrl(id, url, dtype); });
    assertEqual(first.error, undefined, 'the offline page loads without error');
    assertEqual(first.text, expected, 'same greedy text from the cache');
    assertEqual(first.sources, ['cache'], 'every byte came from IndexedDB');
    const again = await runFrame(frame, () => frame.contentWindow?.location.reload());
    assertEqual(again.text, expected, 'same greedy text after reloading the page');
    assertEqual(await serverLog(), [], 'zero requests reached the model server');
  } finally {
    frame.remove();
    await setOffline(false);
  }
}

describe('offline second load from IndexedDB', () => {
  it('the generated fixture reloads offline with zero requests and the same greedy text', () =>
    checkOfflineReload('tiny-llama-offline', FIXTURE_URL, 'q4'));

  it('stories260K reloads offline with zero requests and the same greedy text', async function () {
    if (!(await sharedModelsAvailable())) {
      console.warn('SKIP stories260K offline reload: ../shared/models is absent');
      this.skip();
    }
    await checkOfflineReload('stories260K-offline', STORIES_URL, 'q4');
  });
});
