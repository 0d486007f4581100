// The lazy loader finds XGrammar's classes wherever the module system put them: on the
// module (bundler interop), on its `default`, or on `globalThis.xgrammar` (the UMD
// bundle under native ESM, which is what Node does here). A failed load is retried.
import './xgrammar-env.js';
import { describe, expect, it, vi } from 'vitest';
import { isEdgewiseError } from '../../../src/errors.js';

/** A fresh copy of the loader module, so its one-load cache starts empty. */
async function freshLoader(): Promise<typeof import('../../../src/backends/onnx/grammar/xgrammar.js')> {
  vi.resetModules();
  return import('../../../src/backends/onnx/grammar/xgrammar.js');
}

const fake = { GrammarCompiler: { createGrammarCompiler: (): void => undefined } };

describe('loadXGrammar', () => {
  it('takes the real package\'s classes from globalThis.xgrammar under native ESM', async () => {
    const { loadXGrammar } = await freshLoader();
    const xg = await loadXGrammar();
    expect(typeof xg.GrammarCompiler.createGrammarCompiler).toBe('function');
    expect(xg).toBe((globalThis as { xgrammar?: unknown }).xgrammar);
  });

  it.each([
    ['the module itself', fake],
    ['its default export', { default: fake }],
  ])('takes them from %s', async (_where, mod) => {
    const { loadXGrammar } = await freshLoader();
    const saved = (globalThis as { xgrammar?: unknown }).xgrammar;
    delete (globalThis as { xgrammar?: unknown }).xgrammar;
    try {
      expect(await loadXGrammar(() => Promise.resolve(mod))).toBe(fake);
    } finally {
      (globalThis as { xgrammar?: unknown }).xgrammar = saved;
    }
  });

  it('loads once, and tries again after a failure', async () => {
    const { loadXGrammar } = await freshLoader();
    const saved = (globalThis as { xgrammar?: unknown }).xgrammar;
    delete (globalThis as { xgrammar?: unknown }).xgrammar;
    try {
      const failing = vi.fn(() => Promise.reject(new Error('offline')));
      const error = await loadXGrammar(failing).catch((e: unknown) => e);
      expect(isEdgewiseError(error) && error.code).toBe('runtime_error');
      const empty = await loadXGrammar(() => Promise.resolve({})).catch((e: unknown) => e);
      expect(isEdgewiseError(empty) && empty.code).toBe('runtime_error');
      const working = vi.fn(() => Promise.resolve(fake));
      expect(await loadXGrammar(working)).toBe(fake);
      expect(await loadXGrammar(working)).toBe(fake);
      expect(working).toHaveBeenCalledTimes(1);
    } finally {
      (globalThis as { xgrammar?: unknown }).xgrammar = saved;
    }
  });
});
