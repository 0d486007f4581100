/**
 * Compile-only tests of the public types: `npm run typecheck` fails if these stop
 * holding. Nothing here runs.
 */
import {
  createEngine, isEdgewiseError, type ChatCompletion, type ChatCompletionChunk, type EdgewiseErrorCode, type Part, type RedactionType, type RouteReason,
} from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => undefined;

export async function publicApi(): Promise<void> {
  const engine = createEngine({ model: { id: 'x', url: '/m/', dtype: 'q4' } });

  // @ts-expect-error: prompt and messages are mutually exclusive
  engine.generate({ prompt: 'a', messages: [{ role: 'user', content: 'b' }] });
  // @ts-expect-error: one of them is required
  engine.generate({ maxTokens: 3 });
  // @ts-expect-error: roles are a closed union
  engine.generate({ messages: [{ role: 'robot', content: 'b' }] });
  // @ts-expect-error: dtypes are a closed union
  createEngine({ model: { id: 'x', dtype: 'q3' } });

  for await (const part of engine.generate({ prompt: 'a' })) {
    expectType<Equal<typeof part, Part>>(true);
    if (part.type === 'finish') {
      expectType<Equal<typeof part.reason, 'stop' | 'length' | 'abort' | 'tool-calls'>>(true);
      expectType<Equal<typeof part.ranOn, 'wasm' | 'webgpu' | 'webllm' | 'builtin' | 'remote' | 'custom'>>(true);
      expectType<Equal<typeof part.route.policy, 'local-only' | 'prefer-local' | 'prefer-remote' | 'remote-only'>>(true);
      expectType<Equal<typeof part.route.reason, RouteReason>>(true);
      expectType<Equal<typeof part.redactions, (Partial<Record<RedactionType, number>> & { unrestored?: number }) | undefined>>(true);
    }
  }

  // A remote-only engine needs no local model; a local model needs no remote.
  const cloud = createEngine({ remote: { baseURL: 'https://x/v1', model: 'm', token: async () => 't' }, policy: 'remote-only' });
  // @ts-expect-error: policies are a closed union
  createEngine({ remote: { baseURL: 'https://x/v1', model: 'm' }, policy: 'sometimes' });
  // @ts-expect-error: the token is a function, never a stored string
  createEngine({ remote: { baseURL: 'https://x/v1', model: 'm', token: 'sk-123' } });
  for await (const part of cloud.generate({ prompt: 'a', policy: 'prefer-remote' })) {
    if (part.type === 'finish' && part.cost) expectType<Equal<typeof part.cost.total, number>>(true);
  }

  const streamed = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'hi' }], stream: true });
  expectType<Equal<typeof streamed, AsyncIterable<ChatCompletionChunk>>>(true);
  const whole = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'hi' }] });
  expectType<Equal<typeof whole, ChatCompletion>>(true);

  const e: unknown = new Error('x');
  if (isEdgewiseError(e)) expectType<Equal<typeof e.code, EdgewiseErrorCode>>(true);
}
