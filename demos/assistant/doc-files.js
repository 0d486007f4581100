// Turns what the user drops or picks (files, a folder, a dropped folder) into the index's
// documents: `.txt` and `.md` go in as the File itself (the index reads a Blob as a
// stream), `.html` is parsed and goes in as its visible text. Anything else is left out
// and counted, so the panel can say what it skipped.

const TEXT = /\.(txt|md|markdown)$/i;
const HTML = /\.html?$/i;

/** @param {string} name */
export const readable = (name) => TEXT.test(name) || HTML.test(name);

/**
 * The path a file is known by: its place in a picked folder, else its name. It is the
 * document's id, so adding the same file again replaces it.
 * @param {File} file
 */
const pathOf = (file) => file.webkitRelativePath || /** @type {File & { path?: string }} */ (file).path || file.name;

/**
 * @param {Iterable<File>} files
 * @returns {Promise<{ docs: import('/dist/edgewise.search.js').IndexDocument[], left: string[] }>}
 */
export async function toDocuments(files) {
  /** @type {import('/dist/edgewise.search.js').IndexDocument[]} */
  const docs = [];
  /** @type {string[]} */
  const left = [];
  const seen = new Set();
  for (const file of files) {
    const path = pathOf(file).replace(/^\/+/, '');
    if (!readable(file.name)) { left.push(path); continue; }
    if (seen.has(path)) continue;
    seen.add(path);
    const metadata = { name: file.name, path, bytes: file.size };
    docs.push({ id: path, text: HTML.test(file.name) ? htmlText(await file.text()) : file, metadata });
  }
  return { docs, left };
}

/**
 * The visible text of an HTML page. DOMParser builds an inert document: its scripts never
 * run and its images never load, so reading a dropped file this way is safe.
 * @param {string} html
 */
export function htmlText(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, noscript, template, svg').forEach((el) => el.remove());
  // Block elements end a line, so words of two paragraphs are not glued together.
  doc.querySelectorAll('p, div, li, br, h1, h2, h3, h4, h5, h6, tr, section, article, pre, blockquote').forEach((el) => el.append('\n'));
  const title = doc.title.trim();
  const body = (doc.body?.textContent ?? '').replace(/[ \t\r\f\v]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  return title && !body.startsWith(title) ? `${title}\n${body}` : body;
}

/**
 * The files of a drop, folders walked (Chromium, Safari and Firefox all have
 * `webkitGetAsEntry`); a browser without it gives the dropped files only.
 * @param {DataTransfer} data
 * @returns {Promise<File[]>}
 */
export async function droppedFiles(data) {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...data.files];
  const out = /** @type {File[]} */ ([]);
  await Promise.all(entries.map((e) => walk(/** @type {FileSystemEntry} */ (e), out)));
  return out;
}

/** @param {FileSystemEntry} entry @param {File[]} out */
async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((ok, fail) => /** @type {FileSystemFileEntry} */ (entry).file(ok, fail));
    // A dropped folder's files have no webkitRelativePath: keep the entry's path instead.
    out.push(Object.defineProperty(file, 'path', { value: entry.fullPath }));
    return;
  }
  const reader = /** @type {FileSystemDirectoryEntry} */ (entry).createReader();
  // readEntries gives at most 100 entries per call; read until it gives none.
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) break;
    await Promise.all(batch.map((e) => walk(e, out)));
  }
}
