// The final check every route runs on an output: parsed value back, or invalid_output
// with a reason and the validator's first errors, shortened.
import { describe, expect, it } from 'vitest';
import { caught } from './helpers.js';
import { validateOutput, validateToolArguments, validateToolCall } from '../../../src/structured/validate.js';
import type { ToolDefinition } from '../../../src/types.js';

const person = { type: 'object', properties: { name: { type: 'string', maxLength: 5 }, age: { type: 'integer', minimum: 0 } }, required: ['name', 'age'] };

describe('validateOutput', () => {
  it('returns the parsed value', () => {
    expect(validateOutput('{"name":"Ann","age":3}', { type: 'json_schema', schema: person })).toEqual({ name: 'Ann', age: 3 });
    expect(validateOutput(' {"a":[1]} ', { type: 'json_object' })).toEqual({ a: [1] });
    expect(validateOutput('2024-01-31', { type: 'regex', pattern: '\\d{4}-\\d{2}-\\d{2}' })).toBe('2024-01-31');
  });

  it('not_json: the parser message, the output clipped', () => {
    const e = caught(() => validateOutput(`{"name": ${'x'.repeat(900)}`, { type: 'json_schema', schema: person }));
    expect(e.code).toBe('invalid_output');
    expect(e.details['reason']).toBe('not_json');
    expect((e.details['output'] as string).length).toBeLessThanOrEqual(501);
  });

  it('schema: the first errors, each shortened', () => {
    const e = caught(() => validateOutput('{"name":"Bartholomew","age":-1}', { type: 'json_schema', schema: person }));
    expect(e.details['reason']).toBe('schema');
    const errors = e.details['errors'] as string[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(3);
    expect(errors.join('\n')).toMatch(/#\/name|#\/age/);
    for (const line of errors) expect(line.length).toBeLessThanOrEqual(201);
  });

  it('json_object: an array or a number is not an object', () => {
    expect(caught(() => validateOutput('[1]', { type: 'json_object' })).details['reason']).toBe('schema');
    expect(caught(() => validateOutput('nope', { type: 'json_object' })).details['reason']).toBe('not_json');
  });

  it('regex: the whole output must match, in u-mode', () => {
    const format = { type: 'regex', pattern: 'a|b' } as const;
    expect(validateOutput('b', format)).toBe('b');
    const e = caught(() => validateOutput('ab', format));
    expect(e.details).toMatchObject({ reason: 'regex', pattern: 'a|b' });
    expect(validateOutput('😀', { type: 'regex', pattern: '.' })).toBe('😀');
    // JavaScript's `.` stops at line ends; the grammar's translation says the same.
    expect(caught(() => validateOutput('\n', { type: 'regex', pattern: '.' })).details['reason']).toBe('regex');
  });

  it('never writes onto the caller\'s schema, even a frozen one', () => {
    const frozen = Object.freeze({ type: 'object', properties: Object.freeze({ a: Object.freeze({ $ref: '#/$defs/n' }) }), $defs: Object.freeze({ n: Object.freeze({ type: 'integer' }) }) });
    expect(validateOutput('{"a":1}', { type: 'json_schema', schema: frozen })).toEqual({ a: 1 });
    expect(caught(() => validateOutput('{"a":"x"}', { type: 'json_schema', schema: frozen })).details['reason']).toBe('schema');
  });
});

describe('tool calls', () => {
  const tools: ToolDefinition[] = [
    { name: 'add', parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] } },
    { name: 'echo', parameters: { type: 'object', properties: { text: { type: 'string', maxLength: 10 } }, required: ['text'] } },
  ];

  it('validates arguments given as text (remote) or parsed', () => {
    expect(validateToolArguments(tools, 'add', '{"a":1,"b":2}')).toEqual({ a: 1, b: 2 });
    expect(validateToolArguments(tools, 'echo', { text: 'hi' })).toEqual({ text: 'hi' });
  });

  it.each([
    ['unknown_tool', () => validateToolArguments(tools, 'mul', '{}'), { tool: 'mul' }],
    ['not_json', () => validateToolArguments(tools, 'add', '{"a":1,'), { tool: 'add' }],
    ['tool_arguments', () => validateToolArguments(tools, 'add', '{"a":1}'), { tool: 'add' }],
    ['tool_arguments', () => validateToolArguments(tools, 'echo', '[]'), { tool: 'echo' }],
  ])('%s', (reason, f, details) => {
    const e = caught(f);
    expect(e.code).toBe('invalid_output');
    expect(e.details).toMatchObject({ reason, ...details });
  });

  it('validateToolCall reads the grammar\'s {"name","arguments"} object', () => {
    expect(validateToolCall('{"name":"add","arguments":{"a":1,"b":2}}', tools)).toEqual({ name: 'add', arguments: { a: 1, b: 2 } });
    expect(caught(() => validateToolCall('{"name":"add"}', tools)).details['reason']).toBe('schema');
    expect(caught(() => validateToolCall('{"name":"mul","arguments":{}}', tools)).details['reason']).toBe('unknown_tool');
  });
});
