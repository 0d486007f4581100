// Reads the documentation as the checks need it: README.md and docs/**/*.md (never the
// generated docs/api/), their ```ts examples with the hidden preamble on the line before
// (`<!-- ts-preamble: ... -->`), and the tables under a heading, found by the heading's
// words, not by the file, so a section may move between files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** README.md and every docs/**\/*.md except the generated API reference, as `{ file, lines }`. */
export function docFiles(root) {
  const found = [join(root, 'README.md')];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && p !== join(root, 'docs', 'api')) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) found.push(p);
    }
  };
  if (existsSync(join(root, 'docs'))) walk(join(root, 'docs'));
  return found.map((p) => ({ file: relative(root, p), lines: readFileSync(p, 'utf8').split('\n') }));
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const PREAMBLE = /^\s*<!--\s*ts-preamble:([\s\S]*?)-->\s*$/;

/**
 * Every fenced block of a file: `{ lang, code, line, preamble, heading }`; `line` is the
 * 1-based line of the opening fence; `heading` the nearest heading above it.
 */
export function codeBlocks({ lines }) {
  const blocks = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      if (/^#{1,6}\s/.test(lines[i])) heading = lines[i].replace(/^#+\s*/, '').trim();
      continue;
    }
    const [, indent, marker, lang] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j].trimStart().startsWith(marker) && lines[j].trim().replace(/[`~]/g, '') === ''); j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    const pre = i > 0 ? PREAMBLE.exec(lines[i - 1]) : null;
    blocks.push({ lang, code: body.join('\n'), line: i + 1, preamble: pre ? pre[1].trim() : '', heading });
    i = j;
  }
  return blocks;
}

/** The sections whose heading matches `re`, as `{ file, heading, line, lines }` (up to the next heading of the same or a higher level). */
export function sections(files, re) {
  const out = [];
  for (const { file, lines } of files) {
    let fenced = false;
    for (let i = 0; i < lines.length; i++) {
      if (FENCE.test(lines[i])) fenced = !fenced;
      const h = !fenced && /^(#{1,6})\s+(.*)$/.exec(lines[i]);
      if (!h || !re.test(h[2])) continue;
      const level = h[1].length;
      let end = i + 1;
      let inner = false;
      for (; end < lines.length; end++) {
        if (FENCE.test(lines[end])) inner = !inner;
        const next = !inner && /^(#{1,6})\s/.exec(lines[end]);
        if (next && next[1].length <= level) break;
      }
      out.push({ file, heading: h[2].trim(), line: i + 1, lines: lines.slice(i + 1, end) });
    }
  }
  return out;
}

/** The cells of a Markdown table row (`\|` inside a cell stays a `|`), or undefined for a non-row. */
function cells(line) {
  const t = line.trim();
  if (!t.startsWith('|')) return undefined;
  return t.replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The tables in `lines`, each `{ header: string[], rows: string[][] }` (the `|---|` line dropped). */
export function tables(lines) {
  const out = [];
  let current;
  for (const line of lines) {
    const row = cells(line);
    if (!row) { current = undefined; continue; }
    if (!current) { current = { header: row, rows: [] }; out.push(current); continue; }
    if (row.every((c) => /^:?-+:?$/.test(c))) continue;
    current.rows.push(row);
  }
  return out;
}

/** The backticked names at the start of a cell: "`local_only` / `remote_only`" gives both. */
export function codeNames(cell) {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}
