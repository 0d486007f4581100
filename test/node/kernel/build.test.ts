// The kernel's WebAssembly is committed as base64 (src/backends/onnx/kernel/wasm.ts), so the
// SDK builds without AssemblyScript; this fails when those bytes are not what the
// AssemblyScript source compiles to now (run `npm run build:kernel`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script, untyped
import { kernelSource } from '../../../src/backends/onnx/kernel/assembly/build.mjs';

describe('decoder kernel build', () => {
  it('the committed wasm.ts is what kernel.ts compiles to', async () => {
    const committed = readFileSync(new URL('../../../src/backends/onnx/kernel/wasm.ts', import.meta.url), 'utf8');
    expect((await kernelSource()) as string).toBe(committed);
  }, 60_000);
});
