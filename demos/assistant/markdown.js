// A small, safe Markdown renderer for model output. Model text is never trusted: every
// character is HTML-escaped first, and only the tags written below are ever added, so the
// result can be assigned to innerHTML. Links keep http(s) URLs only (no javascript:, data:).
// It renders partial input too: an unclosed code fence while streaming shows as code.

const ESCAPES = /** @type {Record<string, string>} */ ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** @param {string} s */
export const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

// Placeholders use a private-use character, stripped from the input, so model text cannot forge one.
const MARK = '\uE000';

/**
 * Inline spans over already-escaped text: `code`, [links](https://…), **bold**, *italic*.
 * @param {string} escaped
 */
function inline(escaped) {
  /** @type {string[]} */
  const held = [];
  const hold = (/** @type {string} */ html) => `${MARK}${held.push(html) - 1}${MARK}`;
  let s = escaped.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${code}</code>`));
  // The URL is escaped text that starts with http(s)://, so it can neither change scheme nor leave the attribute.
  s = s.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_, text, url) => hold(`<a href="${url}" target="_blank" rel="noopener noreferrer nofollow">${emphasis(text)}</a>`));
  s = emphasis(s);
  return s.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, i) => held[Number(i)]);
}

/** @param {string} s */
function emphasis(s) {
  return s
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([^_\n]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]*?[^\s*])?\*(?!\*)/g, (m, pre, body, offset, all) => (body === undefined ? m : `${pre}<em>${body}</em>`))
    .replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])?_(?!\w)/g, (m, pre, body) => (body === undefined ? m : `${pre}<em>${body}</em>`));
}

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const HEADING = /^\s*(#{1,6})\s+(.*?)\s*#*\s*$/;
const QUOTE = /^\s*>\s?(.*)$/;

/**
 * Markdown to HTML: paragraphs, headings, block quotes, fenced code, bullet and numbered
 * lists, and the inline spans above.
 * @param {string} text raw model text
 * @returns {string} HTML built only from escaped text and this renderer's own tags
 */
export function renderMarkdown(text) {
  const lines = text.replaceAll(MARK, '').replace(/\r\n?/g, '\n').split('\n');
  /** @type {string[]} */
  const out = [];
  /** @type {string[]} */
  let para = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map((l) => inline(escapeHtml(l.trim()))).join('<br>')}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const closer = new RegExp(`^\\s*${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      const body = [];
      for (i++; i < lines.length && !closer.test(lines[i]); i++) body.push(lines[i]);
      const lang = fence[2] ? ` data-lang="${escapeHtml(fence[2])}"` : '';
      out.push(`<pre${lang}><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') { flush(); continue; }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      // Answers sit inside the page's own headings: # becomes h3, the rest follow down to h6.
      const level = Math.min(6, heading[1].length + 2);
      out.push(`<h${level}>${inline(escapeHtml(heading[2]))}</h${level}>`);
      continue;
    }
    const list = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : undefined;
    if (list) {
      flush();
      const pattern = list === 'ul' ? BULLET : NUMBERED;
      const first = NUMBERED.exec(line);
      const start = list === 'ol' && first && first[1] !== '1' ? ` start="${Number(first[1])}"` : '';
      const items = [];
      for (; i < lines.length && pattern.test(lines[i]); i++) {
        const m = /** @type {RegExpExecArray} */ (pattern.exec(lines[i]));
        items.push(`<li>${inline(escapeHtml(m[m.length - 1]))}</li>`);
      }
      i--;
      out.push(`<${list}${start}>${items.join('')}</${list}>`);
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      flush();
      const body = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) body.push(/** @type {RegExpExecArray} */ (QUOTE.exec(lines[i]))[1]);
      i--;
      out.push(`<blockquote>${renderMarkdown(body.join('\n'))}</blockquote>`);
      continue;
    }
    para.push(line);
  }
  flush();
  return out.join('');
}
