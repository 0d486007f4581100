/**
 * Visits every subschema of a JSON Schema (drafts 7 to 2020-12) with its JSON Pointer,
 * and only subschemas: `const`, `enum`, `default` and `examples` hold data, where a key
 * named "pattern" is not a keyword.
 */

/** A JSON Schema or subschema: an object of keywords, or `true`/`false`. */
export type SchemaNode = { readonly [keyword: string]: unknown } | boolean;

/** Keywords whose value is one subschema. */
const SINGLE = ['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'] as const;
/** Keywords whose value is an array of subschemas. */
const LIST = ['prefixItems', 'anyOf', 'oneOf', 'allOf', 'items'] as const;
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'] as const;

export interface SchemaVisit {
  readonly schema: SchemaNode;
  /** JSON Pointer from the walked root, `''` for the root itself. */
  readonly path: string;
  /** The keyword this subschema sits under (`'properties'` for `/properties/a`); undefined at the root. */
  readonly keyword: string | undefined;
}

const isSchema = (v: unknown): v is SchemaNode => typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v));
/** A property name as one JSON Pointer segment (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export const escapePointer = (s: string): string => s.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * @example
 * for (const { schema, path } of walkSchema({ properties: { a: { type: 'string' } } })) console.log(path);
 * // '' then '/properties/a'
 */
export function* walkSchema(root: SchemaNode): Generator<SchemaVisit> {
  const stack: SchemaVisit[] = [{ schema: root, path: '', keyword: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    yield visit;
    const s = visit.schema;
    if (typeof s === 'boolean') continue;
    const children: SchemaVisit[] = [];
    for (const k of SINGLE) if (isSchema(s[k])) children.push({ schema: s[k], path: `${visit.path}/${k}`, keyword: k });
    for (const k of LIST) {
      const list = s[k];
      if (Array.isArray(list)) list.forEach((c: unknown, i) => isSchema(c) && children.push({ schema: c, path: `${visit.path}/${k}/${i}`, keyword: k }));
    }
    for (const k of MAP) {
      const map = s[k];
      if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
      for (const [name, c] of Object.entries(map)) if (isSchema(c)) children.push({ schema: c, path: `${visit.path}/${k}/${escapePointer(name)}`, keyword: k });
    }
    // Reversed so the walk reads in document order.
    stack.push(...children.reverse());
  }
}

/** Resolves a local `#/…` pointer against `root`; undefined when it does not lead to a schema. */
export function resolvePointer(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined; // a malformed %-escape
    }
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return isSchema(at) ? at : undefined;
}
