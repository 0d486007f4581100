/**
 * The JSON Schema of one tool call, `{"name": <a tool's name>, "arguments": <its
 * parameters>}`, for a grammar to enforce: `anyOf` over the tools, or the one tool a
 * named `toolChoice` picks. Each tool's parameters move under `$defs` so that their own
 * local `$ref`s ("#/$defs/Item", "#") keep pointing where their author meant.
 */
import type { JSONSchema, ToolChoice, ToolDefinition } from '../types.js';
import { walkSchema, type SchemaNode } from './schema-walk.js';

type Mutable = Record<string, unknown>;

/** Where the n-th tool's parameters live in the combined schema. */
const defName = (i: number): string => `tool${i}`;

/**
 * @example
 * toolCallSchema([{ name: 'add', parameters: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] } }], 'required');
 * // { type: 'object', properties: { name: { const: 'add' }, arguments: { $ref: '#/$defs/tool0' } }, required: ['name', 'arguments'], $defs: { tool0: … } }
 */
export function toolCallSchema(tools: readonly ToolDefinition[], toolChoice: Exclude<ToolChoice, 'none'> = 'required'): JSONSchema {
  const chosen = typeof toolChoice === 'object' ? tools.filter((t) => t.name === toolChoice.name) : tools;
  const $defs: Record<string, JSONSchema> = {};
  const branches = chosen.map((tool, i) => {
    $defs[defName(i)] = rebase(tool.parameters, `#/$defs/${defName(i)}`);
    return {
      type: 'object',
      properties: { name: { const: tool.name }, arguments: { $ref: `#/$defs/${defName(i)}` } },
      required: ['name', 'arguments'],
    };
  });
  const body = branches.length === 1 ? branches[0]! : { anyOf: branches };
  return { ...body, $defs };
}

/** A copy of `schema` whose local refs are prefixed with `base` (`#/x` → `${base}/x`). */
function rebase(schema: JSONSchema, base: string): JSONSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as SchemaNode;
  for (const { schema: node } of walkSchema(copy)) {
    if (typeof node !== 'object') continue;
    const ref = node['$ref'];
    if (ref === '#') (node as Mutable)['$ref'] = base;
    else if (typeof ref === 'string' && ref.startsWith('#/')) (node as Mutable)['$ref'] = `${base}${ref.slice(1)}`;
  }
  return copy;
}
