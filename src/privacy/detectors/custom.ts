/**
 * The app's own detectors: `terms` (names, code words) and `patterns` (its own RegExps).
 */
import { isWordChar, type Detector } from '../span.js';

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * One case-insensitive alternation of all terms, longest first so "Acme Corp" wins over
 * "Acme". Whole words only: "Ann" does not hide the start of "Annual". The word test
 * applies only at an edge where the term itself has a word character, so a term like
 * "C++" still matches before a space.
 */
export function termDetector(terms: readonly string[]): Detector {
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length);
  const source = sorted.map((t) => t.replace(SPECIAL, '\\$&')).join('|');
  return (text, found) => {
    const re = new RegExp(source, 'giu');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      const wordStart = isWordChar(m[0][0]) && isWordChar(text[start - 1]);
      const wordEnd = isWordChar(m[0][m[0].length - 1]) && isWordChar(text[end]);
      if (!wordStart && !wordEnd) found.push({ start, end, type: 'term', counted: true });
      // Retry from the next character: a rejected "Ann" in "Annual" must not hide a later match.
      else re.lastIndex = start + 1;
    }
  };
}

/**
 * Every match of each pattern, with the app's flags kept except sticky (`y` would stop at
 * the first gap). Empty matches are skipped: options validation rejects patterns that
 * match the empty string, but it cannot prove a pattern never will (`(?=x)`).
 */
export function patternDetector(patterns: readonly RegExp[]): Detector {
  const compiled = patterns.map((p) => new RegExp(p.source, p.flags.replace(/[gy]/g, '') + 'g'));
  return (text, found) => {
    for (const re of compiled) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0] === '') re.lastIndex++;
        else found.push({ start: m.index, end: m.index + m[0].length, type: 'pattern', counted: true });
      }
    }
  };
}
