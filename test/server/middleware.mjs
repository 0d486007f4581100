// Koa middleware for the test dev server.
import { createReadStream, statSync } from 'node:fs';
import { join, extname } from 'node:path';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };

/** COOP/COEP so pages are cross-origin isolated and ORT may use WASM threads. */
export function crossOriginIsolation() {
  return async (ctx, next) => {
    await next();
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  };
}

/**
 * Serves built bundles and runtime glue byte-for-byte: the dev server would otherwise
 * rewrite ORT's `.mjs` glue (its `import("module")`), which breaks it. Paths matching
 * `except` go through the dev server, which resolves their bare imports (the AI SDK face
 * imports its peer `@ai-sdk/provider` by name, as an app's bundler would resolve it).
 */
export function rawFiles(prefixes, root = process.cwd(), except = /^$/) {
  return async (ctx, next) => {
    const path = decodeURIComponent(ctx.path);
    if (!prefixes.some((p) => path.startsWith(p)) || path.includes('..') || except.test(path)) return next();
    const file = join(root, path);
    let st;
    try { st = statSync(file); } catch { return next(); }
    if (!st.isFile()) return next();
    ctx.set('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    ctx.set('Content-Length', String(st.size));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = createReadStream(file);
  };
}
