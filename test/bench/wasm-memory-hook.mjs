// The bench's memory probes (cpu-runner.mjs, scale-memory.mjs) read WASM memory through this
// hook, evaluated in a realm through the DevTools protocol before its runtime starts.
/** Remembers every WebAssembly.Memory a realm makes (a WeakRef each), so its size can be read later. */
export const WASM_MEMORY_HOOK = `(() => {
  if (globalThis.__benchWasmMemories) return 'hooked before';
  const seen = (globalThis.__benchWasmMemories = []);
  const M = WebAssembly.Memory;
  WebAssembly.Memory = new Proxy(M, { construct(t, args, nt) { const m = Reflect.construct(t, args, nt); seen.push(new WeakRef(m)); return m; } });
  for (const k of ['instantiate', 'instantiateStreaming']) {
    const f = WebAssembly[k];
    WebAssembly[k] = async function (...a) {
      const r = await f.apply(this, a);
      for (const v of Object.values((r.instance ?? r).exports ?? {})) if (v instanceof M) seen.push(new WeakRef(v));
      return r;
    };
  }
  return 'hooked';
})()`;
