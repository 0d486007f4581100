/**
 * Acceptance 3 of issue 17: a Prompt-API app written only against the spec
 * (demos/prompt-api-sample/app.js, `LanguageModel` taken from globalThis as in Chrome)
 * runs on edgewise with one line changed, its import. The page and the app come from the
 * repository as they are; the test swaps that one line, maps `edgewise/prompt-api` to the
 * built face the way an app's bundler would, and drives the app's own buttons.
 */
import { FIXTURE_URL, assert, assertEqual } from '../helpers.js';

const SAMPLE = '/demos/prompt-api-sample/';
const GLOBAL_LINE = 'const { LanguageModel } = globalThis;';
const IMPORT_LINE = "import { LanguageModel } from 'edgewise/prompt-api';";

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sample page in an iframe, its app module with the import line swapped. */
async function openSample(modelUrl: string): Promise<{ doc: Document; frame: HTMLIFrameElement; text: (id: string) => string }> {
  const [html, app] = await Promise.all([fetch(`${SAMPLE}index.html`).then((r) => r.text()), fetch(`${SAMPLE}app.js`).then((r) => r.text())]);
  const [first, ...rest] = app.split('\n');
  assertEqual(first, GLOBAL_LINE, 'the sample takes LanguageModel from globalThis, as code for Chrome does');
  assert(!/edgewise/.test(rest.join('\n').replace(/^\/\/.*$/gm, '')), 'no code line of the sample mentions edgewise');
  const tag = '<script type="module" src="./app.js"></script>';
  assert(html.includes(tag), 'the page loads app.js as a module');
  const edgewiseApp = [IMPORT_LINE, ...rest].join('\n');
  const setup = [
    `<base href="${SAMPLE}">`,
    `<script type="importmap">${JSON.stringify({ imports: { 'edgewise/prompt-api': '/dist/edgewise.prompt-api.js' } })}</script>`,
    // The model the app gets is the host's choice, made before the app runs; the app never sees it.
    `<script type="module">import { configureLanguageModel } from 'edgewise/prompt-api'; configureLanguageModel({ model: { id: 'sample-tiny-llama', url: ${JSON.stringify(modelUrl)}, dtype: 'q4' }, cache: false });</script>`,
  ].join('\n');
  const frame = document.createElement('iframe');
  // The stylesheet is left out: looks are not under test, and the dev server answers it 404 from a srcdoc frame.
  frame.srcdoc = html.replace('<head>', `<head>\n${setup}`).replace(/<link rel="stylesheet"[^>]*>/, '').replace(tag, `<script type="module">\n${edgewiseApp}\n</script>`);
  document.body.append(frame);
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const doc = frame.contentDocument as Document;
  const text = (id: string): string => doc.getElementById(id)?.textContent ?? '';
  return { doc, frame, text };
}

describe('an unchanged Prompt-API sample app on edgewise', () => {
  it('with its import changed: it creates a session with download progress, streams an answer, stops, and a clone answers in JSON', async () => {
    const { doc, frame, text } = await openSample(FIXTURE_URL);
    try {
      await until('the model to be ready', () => text('status') === 'model: ready' || text('status').startsWith('error'));
      assertEqual(text('status'), 'model: ready', 'the app created its session');
      assertEqual((doc.getElementById('progress') as HTMLProgressElement).value, 1, 'its progress bar saw the download end');
      assert(/^context: \d+ of \d+ tokens$/.test(text('usage')), `context usage shown: ${text('usage')}`);
      const before = Number(/context: (\d+)/.exec(text('usage'))?.[1]);
      assert(before > 0, 'the system prompt takes context');

      (doc.getElementById('ask') as HTMLButtonElement).click();
      await until('the answer', () => (doc.getElementById('ask') as HTMLButtonElement).disabled === false && text('answer').length > 0);
      assertEqual(text('status'), 'model: ready', 'the streamed answer finished without error');
      const after = Number(/context: (\d+)/.exec(text('usage'))?.[1]);
      assert(after > before, `the prompt and the answer count in the context (${before} → ${after})`);

      // Stop right after asking: the app shows "stopped" (an AbortError), not an error.
      (doc.getElementById('ask') as HTMLButtonElement).click();
      (doc.getElementById('stop') as HTMLButtonElement).click();
      await until('the stop', () => (doc.getElementById('ask') as HTMLButtonElement).disabled === false);
      assertEqual(text('status'), 'stopped', 'the abort reached the app as an AbortError');

      (doc.getElementById('title') as HTMLButtonElement).click();
      await until('the title', () => text('story-title').length > 0);
      assert(!text('story-title').startsWith('error'), `the clone answered under the JSON constraint: ${text('story-title')}`);
      // JSON Schema's maxLength counts code points; the random fixture model may write characters outside the BMP (two UTF-16 units each).
      const title = text('story-title');
      assert([...title].length <= 40, `the title keeps the schema's maxLength of 40 code points: ${JSON.stringify(title)} (${[...title].length})`);
    } finally {
      frame.remove();
    }
  });
});
