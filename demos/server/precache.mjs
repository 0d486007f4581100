// `GET /precache-manifest.json`: what the assistant's service worker stores to run offline,
// listed from disk at request time so a rebuild never leaves it stale.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of the files under `dir`, relative, `/`-separated, sorted; dotfiles skipped. */
function filesUnder(dir, prefix = '') {
  let entries = [];
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []));
}

const encode = (rel) => rel.split('/').map(encodeURIComponent).join('/');

/** Source maps and type declarations are for developers, not for running the app. */
const needed = (rel) => !rel.endsWith('.map') && !rel.endsWith('.d.ts');

export function precacheManifest({ assistantDir, distDir }) {
  const assistant = existsSync(assistantDir)
    // index.html is the page at `/`; its address under /assistant/ only redirects there.
    ? ['/', '/manifest.webmanifest', ...filesUnder(assistantDir).filter((rel) => rel !== 'index.html').map((rel) => `/assistant/${encode(rel)}`)]
    : [];
  return [...assistant, ...filesUnder(distDir).filter(needed).map((rel) => `/dist/${encode(rel)}`)];
}
