// The facts the docs list that the source also states, compared so that neither can drift:
// - the error codes (the table under a heading "Errors") against the `EdgewiseErrorCode` union;
// - the route reasons (the table whose first column is `reason`) against `RouteReason`;
// - the createEngine options (the `option | default | meaning` table under a heading that
//   names `createEngine`) against `EngineOptions`, `model.*` against `ModelSpec`;
// - the request fields (the `field | default | meaning` table under `engine.generate`)
//   against `SamplingOptions`;
// - the literal defaults of both tables against where the source applies them.
// Tables are found by heading in README.md or docs/**/*.md, wherever they live; the
// source's unions and interfaces are read by the TypeScript checker, not by regexes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { codeNames, docFiles, sections, tables } from './markdown.mjs';

/** The string-literal members of each named type alias, and the property names of each named interface, under `root`'s src/. */
function sourceFacts(root) {
  const files = ['src/errors.ts', 'src/route/vocab.ts', 'src/config-types.ts', 'src/types.ts'].map((f) => join(root, f));
  const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const find = (file, name) => {
    const sf = program.getSourceFile(join(root, file));
    const node = sf?.statements.find((s) => (ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name.text === name);
    if (!node) throw new Error(`${file} declares no ${name}`);
    return checker.getTypeAtLocation(node.name);
  };
  const literals = (file, name) => {
    const t = find(file, name);
    return (t.isUnion() ? t.types : [t]).filter((m) => m.isStringLiteral()).map((m) => m.value);
  };
  const keys = (file, name) => checker.getPropertiesOfType(find(file, name)).map((p) => p.name);
  return {
    errorCodes: literals('src/errors.ts', 'EdgewiseErrorCode'),
    routeReasons: literals('src/route/vocab.ts', 'RouteReason'),
    engineOptions: keys('src/config-types.ts', 'EngineOptions'),
    modelSpec: keys('src/config-types.ts', 'ModelSpec'),
    sampling: keys('src/types.ts', 'SamplingOptions'),
  };
}

/** The tables in the sections whose heading matches `heading` and whose first header cell is `first`, with where they are. */
function findTables(files, heading, first) {
  return sections(files, heading).flatMap((s) => tables(s.lines).filter((t) => t.header[0]?.toLowerCase() === first).map((t) => ({ ...t, where: `${s.file} (${s.heading})` })));
}

/** What `a` has that `b` lacks, and the reverse, as two sentences (empty when equal). */
function difference(aName, a, bName, b) {
  const missing = [...new Set(a)].filter((x) => !b.includes(x));
  const extra = [...new Set(b)].filter((x) => !a.includes(x));
  return [
    ...(missing.length ? [`${aName} has ${missing.map((x) => `\`${x}\``).join(', ')}, ${bName} does not`] : []),
    ...(extra.length ? [`${bName} has ${extra.map((x) => `\`${x}\``).join(', ')}, ${aName} does not`] : []),
  ];
}

const LITERAL = /'[^']*'|"[^"]*"|\[\]|\btrue\b|\bfalse\b|-?\b\d+(?:\.\d+)?\b/g;

/** A default cell's literals: every backticked one, or the whole cell when it is a bare number or boolean. */
function docLiterals(cell) {
  const ticked = codeNames(cell).filter((c) => new RegExp(`^(?:${LITERAL.source})$`).test(c));
  if (ticked.length) return { literals: ticked, exact: cell.replace(/`[^`]*`/g, '').trim() === '' };
  return /^(?:-?\d+(?:\.\d+)?|true|false)$/.test(cell.trim()) ? { literals: [cell.trim()], exact: true } : { literals: [], exact: false };
}

/**
 * What the source applies when `name` is left out, from the first `<x>.name ?? <expr>` in
 * `files`: the literals of `<expr>` (to the end of its clause), or, when it ends in a bare
 * identifier, that identifier's default (`defaultDtype: Dtype = 'q4'`); else a boolean's
 * `x.name === true` (false) or `x.name !== false` (true).
 */
function sourceDefault(root, files, name) {
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const m = new RegExp(`\\b\\w+\\??\\.${name}\\s*\\?\\?\\s*([^;\\n]*)`).exec(text);
    if (!m) continue;
    let expr = m[1];
    let depth = 0;
    for (let i = 0; i < expr.length; i++) {
      const c = expr[i];
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c) && depth-- === 0) { expr = expr.slice(0, i); break; }
      else if (c === ',' && depth === 0) { expr = expr.slice(0, i); break; }
    }
    const literals = expr.match(LITERAL) ?? [];
    if (literals.length) return { file, expr: expr.trim(), literals };
    const ident = /(\w+)\s*$/.exec(expr)?.[1];
    const def = ident && new RegExp(`\\b${ident}\\s*(?::[^=,;)]+)?=\\s*(${LITERAL.source})`).exec(text);
    if (def) return { file, expr: `${expr.trim()} (${ident} = ${def[1]})`, literals: [def[1]] };
    return { file, expr: expr.trim(), literals: [] };
  }
  // A boolean read as `x.name === true` defaults to false; `x.name !== false`, to true.
  for (const file of files) {
    const m = new RegExp(`\\b\\w+\\??\\.${name}\\s*(===\\s*true|!==\\s*false)`).exec(readFileSync(join(root, file), 'utf8'));
    if (m) return { file, expr: m[0], literals: [m[1].startsWith('===') ? 'false' : 'true'] };
  }
  return undefined;
}

const quote = (s) => s.replace(/^"(.*)"$/, "'$1'");

/** Compares each literal default of `table` with the source's; returns `{ problems, checked, unchecked }`. */
function checkDefaults(root, table, where) {
  const problems = [];
  const checked = [];
  const unchecked = [];
  for (const row of table.rows) {
    const names = codeNames(row[0]);
    const parts = names.length > 1 ? row[1].split(/\s+\/\s+/) : [row[1]];
    names.forEach((full, i) => {
      const { literals, exact } = docLiterals(parts[i] ?? '');
      if (!literals.length) { unchecked.push(full); return; }
      const name = full.split('.').at(-1);
      const src = sourceDefault(root, where, name);
      const documented = literals.map(quote);
      if (!src || !src.literals.length) {
        problems.push(`\`${full}\`: the docs say ${documented.join(', ')}; ${src ? `${src.file} applies \`${src.expr}\`, no literal` : `no \`${name} ?? …\` in ${where.join(', ')}`}`);
        return;
      }
      const applied = src.literals.map(quote);
      const ok = exact ? documented.length === 1 && applied[0] === documented[0] : documented.every((d) => applied.includes(d));
      if (ok) checked.push(`${full} = ${documented.join(' | ')}`);
      else problems.push(`\`${full}\`: the docs say ${documented.join(', ')}, ${src.file} applies \`${src.expr}\``);
    });
  }
  return { problems, checked, unchecked };
}

/**
 * Every drift between the docs under `root` and its source, as sentences (empty when
 * none), plus what was compared (`report`), so a run says what it covered.
 */
export function checkDrift(root) {
  const files = docFiles(root);
  const src = sourceFacts(root);
  const problems = [];
  const report = [];
  const need = (found, what) => {
    if (!found.length) problems.push(`no ${what} in README.md or docs/**/*.md`);
    return found;
  };

  for (const t of need(findTables(files, /^errors\b/i, 'code'), 'error-code table (first column `code`, under a heading "Errors")')) {
    problems.push(...difference(`the table in ${t.where}`, t.rows.flatMap((r) => codeNames(r[0])), 'EdgewiseErrorCode (src/errors.ts)', src.errorCodes));
    report.push(`${src.errorCodes.length} error codes: ${t.where}`);
  }
  for (const t of need(findTables(files, /./, 'reason'), 'route-reason table (first column `reason`)')) {
    problems.push(...difference(`the table in ${t.where}`, t.rows.flatMap((r) => codeNames(r[0])), 'RouteReason (src/route/vocab.ts)', src.routeReasons));
    report.push(`${src.routeReasons.length} route reasons: ${t.where}`);
  }
  for (const t of need(findTables(files, /createEngine/, 'option'), 'createEngine options table (`option | default | meaning`)')) {
    const names = t.rows.map((r) => codeNames(r[0])[0]).filter(Boolean);
    problems.push(...difference(`the options table in ${t.where}`, [...new Set(names.map((n) => n.split('.')[0]))], 'EngineOptions (src/config-types.ts)', src.engineOptions));
    const model = names.filter((n) => n.startsWith('model.')).map((n) => n.slice('model.'.length));
    problems.push(...difference(`the options table in ${t.where}`, model.map((n) => `model.${n}`), 'ModelSpec', src.modelSpec.map((n) => `model.${n}`)).filter((p) => p.startsWith('the options')));
    const d = checkDefaults(root, t, ['src/engine-setup.ts', 'src/model/spec.ts']);
    problems.push(...d.problems.map((p) => `${t.where}: ${p}`));
    report.push(`createEngine options (${t.where}): ${names.length} rows; literal defaults checked: ${d.checked.join(', ')}; not literals, not checked: ${d.unchecked.join(', ')}`);
  }
  for (const t of need(findTables(files, /engine\.generate/, 'field'), 'request-field table (`field | default | meaning` under `engine.generate`)')) {
    const names = t.rows.flatMap((r) => codeNames(r[0]));
    problems.push(...difference(`the request table in ${t.where}`, names, 'SamplingOptions (src/types.ts)', src.sampling).filter((p) => p.startsWith('the request')));
    const d = checkDefaults(root, t, ['src/validate.ts']);
    problems.push(...d.problems.map((p) => `${t.where}: ${p}`));
    report.push(`request fields (${t.where}): literal defaults checked: ${d.checked.join(', ')}; not literals, not checked: ${d.unchecked.join(', ')}`);
  }
  return { problems, report };
}
