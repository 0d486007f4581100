#!/usr/bin/env node
// `npm run test:e2e`: runs each end-to-end script (real Chromium against the demos, driven
// by puppeteer-core) in its own process, relays its output, and prints one line per script,
// `e2e <name>: N passed, M failed[, K skipped]`, which .ci/run adds to its summary.
import { spawn } from 'node:child_process';

const SCRIPTS = ['npm-import', 'demos', 'search-persistence'];
let failed = 0;
for (const name of SCRIPTS) {
  const child = spawn(process.execPath, [`test/e2e/${name}.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
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
