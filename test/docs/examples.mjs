// Every ```ts example of README.md and docs/**/*.md, type-checked against the built
// package as an app would import it: each block is its own module file (top-level await
// allowed) in a scratch folder whose node_modules/edgewise links to this repository, so
// 'edgewise', 'edgewise/ai-sdk', … resolve through package.json `exports` to dist/*.d.ts.
// A hidden preamble (`<!-- ts-preamble: declare const engine: … -->` on the line before the
// fence) declares what the example takes as given. One tsc program checks them all.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, docFiles } from './markdown.mjs';

/** The ```ts blocks of the docs under `root`, each `{ file, line, name, source }` (`source` is the module tsc sees). */
export function tsExamples(root) {
  return docFiles(root).flatMap((doc) => codeBlocks(doc).filter((b) => b.lang === 'ts').map((b) => ({
    file: doc.file,
    line: b.line,
    name: `${doc.file.replace(/[^\w]+/g, '_')}_L${b.line}.ts`,
    // Line 1 is the preamble, so line n of the module is line (fence + n - 1) of the doc; `export {}` makes it a module.
    source: `${b.preamble}\n${b.code}\nexport {};\n`,
  })));
}

const COMPILER = {
  target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true, skipLibCheck: true, noEmit: true, types: [], allowUnreachableCode: true, noUnusedLocals: false,
};

/**
 * Type-checks the examples of the docs under `root` against `root`'s built package (run
 * `npm run build` first); resolves to `{ examples, errors }`, each error pointing at the
 * doc's own line.
 */
export async function checkExamples(root, tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')) {
  const examples = tsExamples(root);
  // Inside node_modules/, so the peers an example may import ('ai', 'zod') resolve from the repository's tree.
  const dir = join(root, 'node_modules', '.cache', 'edgewise-doc-examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'edgewise'), 'dir');
  for (const e of examples) writeFileSync(join(dir, e.name), e.source);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER, files: examples.map((e) => e.name) }, null, 2));
  const output = await new Promise((ok) => {
    execFile(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { maxBuffer: 16 << 20 }, (_err, stdout, stderr) => ok(`${stdout}${stderr}`));
  });
  const byName = new Map(examples.map((e) => [e.name, e]));
  const errors = [];
  for (const line of output.split('\n')) {
    const m = /^(?:.*[\\/])?([^\\/(]+\.ts)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line);
    const e = m && byName.get(m[1]);
    if (e) errors.push(`${e.file}:${e.line + Number(m[2]) - 1}:${m[3]} (the example at line ${e.line}): ${m[4]}`);
    else if (/error TS\d+/.test(line)) errors.push(line);
  }
  return { examples, errors };
}
