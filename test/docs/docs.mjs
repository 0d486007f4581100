#!/usr/bin/env node
// `npm run test:docs` (inside `npm test`, after the build): the docs stay true and the
// package ships what it promises.
// - every ```ts example of README.md and docs/**/*.md type-checks against the built package;
// - the error codes, route reasons, createEngine options and request fields the docs list,
//   and their literal defaults, match the source (drift.mjs says which defaults it checks);
// - the API reference (TypeDoc over the public entries, typedoc.json) builds without a warning;
// - `npm pack` ships LICENSE, README, CHANGELOG and the JS and types of every `exports`
//   entry; `sideEffects` is true to dist/; LICENSE names every package dist/ bundles.
// `DOCS_ROOT=<folder>` checks another copy of the repository (its dist/ built), e.g. a
// scratch copy with a default broken on purpose.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT, assert, check, summary } from '../e2e/harness.mjs';
import { checkDrift } from './drift.mjs';
import { checkExamples } from './examples.mjs';
import { bundledPackages, checkPack, checkSideEffects, packedFiles, unattributed } from './package.mjs';

const root = resolve(process.env.DOCS_ROOT ?? ROOT);
const list = (problems) => `\n        ${problems.join('\n        ')}`;

await check('every ```ts example in README.md and docs/**/*.md type-checks against the built package (one tsc program)', async () => {
  const { examples, errors } = await checkExamples(root);
  console.log(`    ${examples.length} examples in ${new Set(examples.map((e) => e.file)).size} files`);
  assert(examples.length > 0, 'the docs have ```ts examples');
  assert(errors.length === 0, `the examples type-check:${list(errors)}`);
}, 120_000);

await check('the docs\' error codes, route reasons, createEngine options, request fields and literal defaults match the source', async () => {
  const { problems, report } = checkDrift(root);
  for (const line of report) console.log(`    ${line}`);
  assert(problems.length === 0, `the docs match the source:${list(problems)}`);
}, 60_000);

await check('the API reference (npm run docs:api: TypeDoc over every public entry) builds without a warning', async () => {
  const typedoc = resolve(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
  const output = await new Promise((ok) => {
    execFile(process.execPath, [typedoc, '--logLevel', 'Warn'], { cwd: root, maxBuffer: 16 << 20, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => ok({ code: err?.code ?? 0, text: `${stdout}${stderr}`.trim() }));
  });
  assert(output.code === 0 && !/\[(warning|error)\]/.test(output.text), `typedoc built docs/api/ with no warning (exit ${output.code}):${list(output.text.split('\n').slice(-20))}`);
}, 120_000);

await check('npm pack ships LICENSE, README.md, CHANGELOG.md and the JS and types of every exports entry; sideEffects is true to dist/', async () => {
  const files = await packedFiles(root);
  const problems = [...checkPack(root, files), ...checkSideEffects(root)];
  console.log(`    ${files.length} files in the tarball`);
  assert(problems.length === 0, `the package is whole:${list(problems)}`);
}, 60_000);

await check('LICENSE names every third-party package whose code dist/ bundles (from its source maps)', async () => {
  const bundled = bundledPackages(root);
  const missing = unattributed(root, bundled);
  console.log(`    ${bundled.length} bundled packages`);
  assert(bundled.length > 0 && missing.length === 0, `LICENSE names ${missing.join(', ')}`);
}, 30_000);

process.exit(summary());
