// `npm start`: the demo server on 127.0.0.1. It serves the PWA assistant at /, the other
// demos, the built SDK, local model folders, and an OpenAI-compatible endpoint at /v1 that
// runs a real model in Node (transformers.js on onnxruntime-node), loaded in the background
// after the server listens; a labelled stand-in answers when no model loads
// (demos/server/model-endpoint.mjs). `--remote BASE_URL --remote-model NAME` points the
// demo at another endpoint instead; the provider's key is typed into the app's settings and
// held in the page's memory only, never passed to or through this server.
// Routes: demos/server/routes.mjs; flags: demos/server/cli.mjs.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseFlags, USAGE } from './server/cli.mjs';
import { modelChoices } from './server/model-choice.mjs';
import { createModelEndpoint } from './server/model-endpoint.mjs';
import { createHandler } from './server/routes.mjs';

let flags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (e) {
  console.error(`edgewise demo: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const root = resolve(import.meta.dirname, '..');
// The model is chosen and loaded once the server listens, never before: `npm start` must
// answer at once (CI waits for / only), and a download can take minutes.
let choose;
const endpoint = createModelEndpoint({ choices: new Promise((ok) => { choose = ok; }) });
const handle = createHandler({ root, modelsDir: flags.modelsDir, remote: flags.remote, endpoint });
const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error');
    else res.destroy();
  });
});
server.on('error', (e) => {
  console.error(`edgewise demo: ${e.message}`);
  process.exit(1);
});
server.listen(flags.port, '127.0.0.1', () => {
  console.log(`edgewise demo: http://127.0.0.1:${server.address().port}/`);
  if (flags.modelsDir) console.log(`  models from ${flags.modelsDir} under /models/local/`);
  console.log(flags.remote ? `  remote: ${flags.remote.baseURL} (model ${flags.remote.model})` : '  remote: this server\'s /v1 (its model loads in the background)');
  // With --remote the page talks to that endpoint, so no model is loaded for /v1.
  choose(flags.remote ? [] : modelChoices({ remoteModelDir: flags.remoteModelDir, sharedDir: resolve(root, '../shared/models') }));
});
