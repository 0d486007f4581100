// `npm start`: the demo server on 127.0.0.1. It serves the PWA assistant at /, the other
// demos, the built SDK, local model folders, and a stand-in OpenAI-compatible endpoint at
// /v1 (no model runs here: its answers are labelled fixed text). `--remote BASE_URL
// --remote-model NAME` points the demo at a real provider instead; the provider's key is
// typed into the app's settings and held in the page's memory only, never passed to or
// through this server. Routes: demos/server/routes.mjs; flags: demos/server/cli.mjs.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseFlags, USAGE } from './server/cli.mjs';
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

const handle = createHandler({ root: resolve(import.meta.dirname, '..'), modelsDir: flags.modelsDir, remote: flags.remote });
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
  console.log(flags.remote ? `  remote: ${flags.remote.baseURL} (model ${flags.remote.model})` : '  remote: the local stand-in endpoint at /v1 (no real model)');
});
