const { LanguageModel } = globalThis;
// A small story helper written only against the Prompt API
// (https://github.com/webmachinelearning/prompt-api): nothing in this file knows about
// edgewise. In Chrome with its built-in model it runs as it is; on any other browser,
// change the line above to `import { LanguageModel } from 'edgewise/prompt-api';`.
const $ = (id) => document.getElementById(id);
const languages = { expectedInputs: [{ type: 'text', languages: ['en'] }], expectedOutputs: [{ type: 'text', languages: ['en'] }] };

let session;
let controller;

function showUsage() {
  $('usage').textContent = `context: ${session.contextUsage} of ${session.contextWindow} tokens`;
}

async function start() {
  if (!LanguageModel) {
    $('status').textContent = 'This browser has no Prompt API.';
    return;
  }
  const availability = await LanguageModel.availability(languages);
  $('status').textContent = `model: ${availability}`;
  if (availability === 'unavailable') return;
  session = await LanguageModel.create({
    ...languages,
    initialPrompts: [{ role: 'system', content: 'You tell very short stories for children.' }],
    monitor(m) {
      m.addEventListener('downloadprogress', (e) => {
        $('progress').value = e.loaded;
        $('status').textContent = `downloading the model: ${Math.round(e.loaded * 100)}%`;
      });
    },
  });
  session.addEventListener('contextoverflow', () => {
    $('notice').textContent = 'The conversation got long: the oldest turns were dropped.';
  });
  $('status').textContent = 'model: ready';
  $('ask').disabled = false;
  $('title').disabled = false;
  showUsage();
}

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  controller = new AbortController();
  $('ask').disabled = true;
  $('stop').disabled = false;
  $('answer').textContent = '';
  try {
    const stream = session.promptStreaming($('prompt').value, { signal: controller.signal });
    for await (const chunk of stream) $('answer').textContent += chunk;
    $('status').textContent = 'model: ready';
  } catch (error) {
    $('status').textContent = error.name === 'AbortError' ? 'stopped' : `error: ${error.name}: ${error.message}`;
  } finally {
    $('ask').disabled = false;
    $('stop').disabled = true;
    showUsage();
  }
});

$('stop').addEventListener('click', () => controller?.abort());

// A what-if on a copy of the conversation: the story's title as JSON, without adding to
// the session the reader sees.
$('title').addEventListener('click', async () => {
  const copy = await session.clone();
  try {
    const schema = { type: 'object', properties: { title: { type: 'string', maxLength: 40 } }, required: ['title'] };
    const json = await copy.prompt('Give the story a title.', { responseConstraint: schema });
    $('story-title').textContent = JSON.parse(json).title;
  } catch (error) {
    $('story-title').textContent = `error: ${error.name}`;
  } finally {
    copy.destroy();
  }
});

start().catch((error) => {
  $('status').textContent = `error: ${error.name}: ${error.message}`;
});
