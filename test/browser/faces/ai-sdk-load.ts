/**
 * What the AI SDK face's browser tests import: the built face (`/dist/edgewise.ai-sdk.js`,
 * typed by its source entry) and the real `ai` package. `ai` comes as one ES module from
 * the OpenAI-compatible test server (`/__ctl/ai-sdk.js`, bundled by esbuild), because the
 * dev server serves node_modules as they are and `ai` reaches CommonJS (`@vercel/oidc`)
 * a browser cannot import; an app's bundler does the same step.
 */
import type * as AI from 'ai';
import { createEdgewise as built } from '/dist/edgewise.ai-sdk.js';
import { REMOTE_SERVER } from '../helpers.js';

export const createEdgewise = built;
export const ai: typeof AI = await import(new URL('/__ctl/ai-sdk.js', REMOTE_SERVER).href);
