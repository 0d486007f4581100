/**
 * The one door to @mlc-ai/web-xgrammar (XGrammar compiled to WASM, inlined as base64,
 * no eval). It is `import()`ed on first use, so nothing the page loads pays for its
 * ~1.1 MB; only a request with a response format or tools does, in the worker.
 *
 * The package's `lib/index.js` is a UMD bundle inside a `"type": "module"` package. Under
 * native ESM (a browser worker, Node, Vite dev) the import has no exports: the UMD
 * wrapper finds neither `exports` nor `define` and assigns `globalThis.xgrammar` instead.
 * Under a bundler's CommonJS interop the exports arrive on the module or its `default`.
 * All three are tried, in that order.
 */
import { EdgewiseError } from '../../../errors.js';

/** The classes this project uses, typed by the package's own declarations. */
export type XGrammar = Pick<typeof import('@mlc-ai/web-xgrammar'), 'TokenizerInfo' | 'GrammarCompiler' | 'GrammarMatcher' | 'Grammar' | 'Testings'>;
/** XGrammar's own classes, re-exported as types for the files of this folder. */
export type XCompiledGrammar = import('@mlc-ai/web-xgrammar').CompiledGrammar;
export type XGrammarCompiler = import('@mlc-ai/web-xgrammar').GrammarCompiler;
export type XGrammarMatcher = import('@mlc-ai/web-xgrammar').GrammarMatcher;
export type XTokenizerInfo = import('@mlc-ai/web-xgrammar').TokenizerInfo;

/** Injected in tests; the default is the package itself. */
export type XGrammarImporter = () => Promise<unknown>;

const defaultImporter: XGrammarImporter = () => import('@mlc-ai/web-xgrammar');

let loading: Promise<XGrammar> | undefined;

function asXGrammar(candidate: unknown): XGrammar | undefined {
  if (typeof candidate !== 'object' && typeof candidate !== 'function') return undefined;
  if (candidate === null) return undefined;
  const m = candidate as Partial<Record<keyof XGrammar, { createGrammarCompiler?: unknown } | undefined>>;
  return typeof m.GrammarCompiler?.createGrammarCompiler === 'function' ? (candidate as XGrammar) : undefined;
}

/**
 * Loads XGrammar once per realm; later calls share the promise. A failed load is not
 * cached, so the next request tries again.
 *
 * @example
 * const xg = await loadXGrammar();
 * const info = await xg.TokenizerInfo.createTokenizerInfo(vocab, 'byte_level', false, 49152, [2]);
 */
export function loadXGrammar(importer: XGrammarImporter = defaultImporter): Promise<XGrammar> {
  if (loading !== undefined) return loading;
  const attempt = importer().then(
    (mod) => {
      const found = asXGrammar(mod) ?? asXGrammar((mod as { default?: unknown } | null)?.default) ?? asXGrammar((globalThis as { xgrammar?: unknown }).xgrammar);
      if (found === undefined) throw new EdgewiseError('runtime_error', '@mlc-ai/web-xgrammar loaded but exposed no GrammarCompiler; check the installed version (0.1.27 is known to work).');
      return found;
    },
    (cause: unknown) => {
      throw new EdgewiseError('runtime_error', 'Could not load @mlc-ai/web-xgrammar, needed for structured output on the ONNX backend; check that it is installed and reachable from the worker.', { cause });
    },
  );
  loading = attempt;
  attempt.catch(() => {
    if (loading === attempt) loading = undefined;
  });
  return attempt;
}
