// What `npm pack` ships, checked against package.json's promises: the files a user reads
// (LICENSE, README, CHANGELOG), every `exports` entry with its types, `sideEffects` true to
// the built files, and the LICENSE naming every third-party package dist/ bundles.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { parseAst } from 'rollup/parseAst';

/** The paths `npm pack` would put in the tarball (a dry run: nothing is written). */
export function packedFiles(root) {
  return new Promise((ok, fail) => {
    execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } }, (err, stdout) => {
      if (err) fail(err);
      else ok(JSON.parse(stdout)[0].files.map((f) => f.path));
    });
  });
}

/** Every problem with the tarball's contents and `exports`, as sentences (empty when none). */
export function checkPack(root, files) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const has = new Set(files);
  const problems = [];
  for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) if (!has.has(f)) problems.push(`the tarball has no ${f}`);
  const targets = Object.entries(pkg.exports).flatMap(([entry, t]) => {
    if (!t.types || !t.import) problems.push(`exports["${entry}"] needs both \`types\` and \`import\``);
    if (t.types && Object.keys(t)[0] !== 'types') problems.push(`exports["${entry}"]: \`types\` must come first (TypeScript reads the conditions in order)`);
    return [t.types, t.import].filter(Boolean).map((p) => [entry, p]);
  });
  for (const [entry, p] of [...targets, ['types', pkg.types], ['main', pkg.main]]) {
    const rel = normalize(p);
    if (!existsSync(join(root, rel))) problems.push(`${entry}: ${p} does not exist after the build`);
    else if (!has.has(rel)) problems.push(`${entry}: ${p} is not in the tarball`);
  }
  return problems;
}

/** The relative modules `file` imports statically (`import … from './x.js'`, `export … from`), resolved to paths. */
function staticImports(file) {
  const ast = parseAst(readFileSync(file, 'utf8'));
  return ast.body
    .filter((s) => (s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportAllDeclaration') && s.source?.value.startsWith('.'))
    .map((s) => join(dirname(file), s.source.value));
}

/** The statements at the top level of `file` that do something when it is evaluated (calls, assignments, loops). */
function topLevelEffects(file) {
  const code = readFileSync(file, 'utf8');
  return parseAst(code).body
    .filter((s) => !/Declaration$/.test(s.type) || s.type === 'ExportDefaultDeclaration' && s.declaration.type.endsWith('Expression'))
    .map((s) => code.slice(s.start, Math.min(s.end, s.start + 60)).replace(/\s+/g, ' '));
}

/**
 * `sideEffects` must be true to the files: a module a bundler may drop when none of its
 * exports is used (each `exports` entry and everything it imports statically) does nothing
 * at the top level, and every dist/ file that does (the workers, the IIFE) is listed.
 * Chunks reached only by `import()` are always evaluated, so their top level does not count.
 */
export function checkSideEffects(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const listed = Array.isArray(pkg.sideEffects) ? pkg.sideEffects.map((p) => normalize(p)) : [];
  const problems = [];
  if (pkg.sideEffects === true || pkg.sideEffects === undefined) problems.push('`sideEffects` is unset or true: bundlers cannot drop unused entries');
  const seen = new Set();
  const visit = (file, entry) => {
    if (seen.has(file)) return;
    seen.add(file);
    const effects = topLevelEffects(join(root, file));
    if (effects.length && !listed.includes(file)) problems.push(`${file} (reached from exports["${entry}"]) runs code at its top level (${effects[0]}…) but is not listed in \`sideEffects\``);
    for (const next of staticImports(join(root, file))) visit(normalize(next.slice(root.length + 1)), entry);
  };
  for (const [entry, t] of Object.entries(pkg.exports)) visit(normalize(t.import), entry);
  for (const f of readdirSync(join(root, 'dist')).filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`)) {
    const effects = f.endsWith('.iife.js') ? ['var Edgewise = …'] : topLevelEffects(join(root, f));
    if (effects.length && !listed.includes(f)) problems.push(`${f} runs code at its top level (${effects[0]}…): list it in \`sideEffects\``);
  }
  for (const f of listed) if (!existsSync(join(root, f))) problems.push(`sideEffects lists ${f}, which the build does not make`);
  return problems;
}

/** The npm packages whose code dist/ bundles, from its source maps. */
export function bundledPackages(root) {
  const maps = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else if (e.name.endsWith('.js.map')) maps.push(`${dir}/${e.name}`);
    }
  };
  walk('dist');
  const names = new Set();
  for (const m of maps) {
    for (const s of JSON.parse(readFileSync(join(root, m), 'utf8')).sources) {
      const last = [...s.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1);
      if (last) names.add(last[1]);
    }
  }
  return [...names].sort();
}

/** The bundled packages LICENSE does not name (a scoped `@s/x` may be named as `@s/*` with `x` listed). */
export function unattributed(root, packages) {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  return packages.filter((p) => {
    if (new RegExp(`(^|[\\s(,])${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[:,\\s]`, 'm').test(license)) return false;
    const m = /^(@[^/]+)\/(.+)$/.exec(p);
    return !(m && license.includes(`${m[1]}/*`) && new RegExp(`\\b${m[2]}\\b`).test(license));
  });
}
