// The demo server's flags. `npm start -- <flags>` passes them through; npm runs the script
// from the package root, so relative folders are resolved against INIT_CWD (where the user
// typed the command), not against the package.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { generationDtypes } from './models.mjs';

export const USAGE = `usage: node demos/serve.mjs [--port N] [--models-dir FOLDER] [--remote-model-dir FOLDER | --remote BASE_URL --remote-model NAME]
  --port N              listen on 127.0.0.1:N (default: $PORT or 8080)
  --models-dir FOLDER   serve a folder of models (Optimum layout) under /models/local/ and list them first
  --remote BASE_URL     point the demo at a real OpenAI-compatible provider (e.g. https://api.example.com/v1);
                        the key is typed into the app's settings, never given to this server
  --remote-model NAME   the provider's model name (required with --remote)
  --remote-model-dir FOLDER
                        serve your own text-generation model (transformers.js layout: config.json, tokenizer
                        files, onnx/model*.onnx) at this server's /v1, run by transformers.js in Node; without
                        it /v1 runs HuggingFaceTB/SmolLM2-360M-Instruct when the hub answers, else stories260K from
                        ../shared/models, else a labelled stand-in`;

const FLAGS = new Set(['--port', '--models-dir', '--remote', '--remote-model', '--remote-model-dir']);

/** A folder flag's value, resolved where the user typed the command, and checked to be a folder. */
function folder(flag, value, env) {
  const dir = resolve(env.INIT_CWD ?? process.cwd(), value);
  let ok = false;
  try { ok = statSync(dir).isDirectory(); } catch { /* reported below */ }
  if (!ok) throw new Error(`${flag} ${dir} is not a folder`);
  return dir;
}

/** @returns {{ port: number, modelsDir?: string, remoteModelDir?: string, remote?: { baseURL: string, model: string }, help?: true }} */
export function parseFlags(argv, env = process.env) {
  const values = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { port: 0, help: true };
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!FLAGS.has(flag)) throw new Error(`unknown argument '${arg}'`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    values[flag] = value;
  }

  const portText = values['--port'] ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port '${portText}' is not a port number (0-65535)`);

  const out = { port };
  if (values['--models-dir'] !== undefined) out.modelsDir = folder('--models-dir', values['--models-dir'], env);
  if (values['--remote-model-dir'] !== undefined) {
    if (values['--remote'] !== undefined) throw new Error('--remote-model-dir serves a model at this server\'s /v1, --remote points the demo elsewhere: pass one of them');
    const dir = folder('--remote-model-dir', values['--remote-model-dir'], env);
    if (!generationDtypes(dir)?.length) throw new Error(`--remote-model-dir ${dir} is not a text-generation model in the transformers.js layout (config.json with a *ForCausalLM architecture, onnx/model*.onnx)`);
    out.remoteModelDir = dir;
  }
  if (values['--remote-model'] !== undefined && values['--remote'] === undefined) throw new Error('--remote-model needs --remote');
  if (values['--remote'] !== undefined) {
    let url;
    try { url = new URL(values['--remote']); } catch { /* reported below */ }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`--remote '${values['--remote']}' is not an http(s) URL`);
    if (values['--remote-model'] === undefined) throw new Error('--remote needs --remote-model NAME (the model name your provider expects)');
    out.remote = { baseURL: url.href.replace(/\/+$/, ''), model: values['--remote-model'] };
  }
  return out;
}
