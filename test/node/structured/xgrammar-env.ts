/**
 * Import first in any test that compiles a grammar. XGrammar's Emscripten prelude calls
 * `require('url')` when the global scope has neither `document` nor `location`, and a
 * UMD bundle loaded as ESM has no `require`; with a `location` it takes the browser path
 * (its WASM is inlined, so the URL is never fetched). Tests only: never in src/.
 */
const g = globalThis as { location?: unknown };
g.location ??= { href: 'file:///' };
export {};
