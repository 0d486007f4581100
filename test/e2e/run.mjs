#!/usr/bin/env node
// `npm run test:e2e`: runs each end-to-end script (real Chromium against the demos, driven
// by puppeteer-core) in its own process, relays its output, and prints one line per script,
// `e2e <name>: N passed, M failed[, K skipped]`, which .ci/run adds to its summary.
// `node test/e2e/run.mjs <script.mjs>…` runs those instead (`npm run test:docs` runs
// test/docs/docs.mjs this way, so its count reaches the summary too).
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

const SCRIPTS = process.argv.length > 2 ? process.argv.slice(2) : ['npm-import', 'quickstart', 'demos', 'search-persistence'].map((n) => `test/e2e/${n}.mjs`);
let failed = 0;
for (const script of SCRIPTS) {
  const name = basename(script, '.mjs');
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const lines = String(chunk).split('\n').filter((l) => /^\d+ passed, \d+ failed/.test(l.trim()));
    if (lines.length) last = lines.at(-1).trim();
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  // A script that died without a summary counts as one failure, never as zero tests.
  const summary = last || '0 passed, 1 failed';
  console.log(`e2e ${name}: ${summary}${code !== 0 && !last ? ` (exit ${code})` : ''}`);
  if (code !== 0) failed++;
}
process.exit(failed ? 1 : 0);
