/**
 * XGrammar compiles `oneOf` as `anyOf`: a value matching two branches gets through,
 * which `oneOf` forbids. The two mean the same when no value can match two branches,
 * which this proves for the shapes schemas use in practice: branches of different
 * types, of different literal values, or objects told apart by a required property
 * with different constant values (a discriminator). Anything else is not proven.
 */
import { canonicalJson } from './canonical-json.js';
import { resolvePointer, type SchemaNode } from './schema-walk.js';

type Obj = { readonly [keyword: string]: unknown };

/**
 * @example
 * oneOfIsDisjoint([{ type: 'string' }, { type: 'integer' }], root); // true
 * oneOfIsDisjoint([{ type: 'number' }, { type: 'integer' }], root); // false
 */
export function oneOfIsDisjoint(branches: readonly SchemaNode[], root: SchemaNode): boolean {
  const resolved = branches.map((b) => deref(b, root));
  if (resolved.some((b) => b === undefined)) return false;
  const bs = resolved as Obj[];
  return pairwiseDisjoint(bs.map(typesOf)) || pairwiseDisjoint(bs.map(literals)) || bs.length > 0 && discriminated(bs, root);
}

function deref(s: SchemaNode, root: SchemaNode): Obj | undefined {
  let at: SchemaNode | undefined = s;
  for (let hops = 0; hops < 8 && typeof at === 'object' && typeof at['$ref'] === 'string'; hops++) at = resolvePointer(root, at['$ref']);
  return typeof at === 'object' ? at : undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The JSON types a branch admits, `integer` counted inside `number`; undefined when any. */
function typesOf(s: Obj): Set<string> | undefined {
  const t = s['type'];
  const names = typeof t === 'string' ? [t] : Array.isArray(t) ? (t as unknown[]).filter((x): x is string => typeof x === 'string') : undefined;
  if (names !== undefined) return new Set(names.flatMap((n) => (n === 'number' ? ['number', 'integer'] : [n])));
  const values = literalValues(s);
  return values === undefined ? undefined : new Set(values.map(jsonType).flatMap((n) => (n === 'number' ? ['number', 'integer'] : [n])));
}

function literalValues(s: Obj): unknown[] | undefined {
  if ('const' in s) return [s['const']];
  return Array.isArray(s['enum']) ? (s['enum'] as unknown[]) : undefined;
}

/** Literal values as canonical JSON, so `{ "a": 1, "b": 2 }` equals `{ "b": 2, "a": 1 }`. */
function literals(s: Obj): Set<string> | undefined {
  const values = literalValues(s);
  return values === undefined ? undefined : new Set(values.map(canonicalJson));
}

function discriminated(bs: Obj[], root: SchemaNode): boolean {
  const first = bs[0]!;
  const props = first['properties'];
  if (typeof props !== 'object' || props === null) return false;
  return Object.keys(props).some((key) => {
    const sets = bs.map((b) => {
      const required = Array.isArray(b['required']) && (b['required'] as unknown[]).includes(key);
      const p = (b['properties'] as Record<string, SchemaNode> | undefined)?.[key];
      const r = p === undefined ? undefined : deref(p, root);
      return required && r !== undefined ? literals(r) : undefined;
    });
    return pairwiseDisjoint(sets);
  });
}

function pairwiseDisjoint(sets: (Set<string> | undefined)[]): boolean {
  if (sets.some((s) => s === undefined)) return false;
  const seen = new Set<string>();
  for (const s of sets as Set<string>[]) {
    for (const v of s) if (seen.has(v)) return false;
    for (const v of s) seen.add(v);
  }
  return true;
}
