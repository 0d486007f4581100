/**
 * The llama.cpp peers of the `cpu` part's speed page, on the GGUF files of the bench model:
 * wllama in this page (wllama-bench.ts) and native llama.cpp in run.mjs's Node process
 * (native-llama.mjs, reached through `window.benchNative`, which cpu-runner.mjs exposes).
 * Each peer is optional: one that cannot load is reported with the reason and left out of
 * the rounds.
 */
import { byteToUnicode } from '../fixtures/tokenizer.js';
import { log, round } from './util.js';
import { loadWllama, type PeerRun, type WllamaHandle } from './wllama-bench.js';

export type GgufName = 'q8_0' | 'q4_0';
export type PeerKey = 'wllamaQ8' | 'wllamaQ4' | 'nativeQ8' | 'nativeQ4';
export const PEER_FILE: Record<PeerKey, GgufName> = { wllamaQ8: 'q8_0', wllamaQ4: 'q4_0', nativeQ8: 'q8_0', nativeQ4: 'q4_0' };

export interface PeerConfig {
  /** Same-origin URLs of the GGUF files (wllama). */
  ggufUrls: Record<GgufName, string>;
  /** Same-origin URL of wllama's wasm. */
  wllamaWasmUrl: string;
  /** Which peers to load (BENCH_CPU_PEERS). */
  peers: readonly PeerKey[];
  /** Context of both peers: the longest prompt plus its tokens. */
  contextSize: number;
}

/** What a peer's run returns to the page: the shape of the other contenders' runs. */
export interface PeerResult {
  ttftMs: number | null;
  decodeTokPerSec: number | null;
  completionTokens: number;
  promptTokens: number | null;
  totalMs: number;
  ids: number[];
  text?: string;
  server?: PeerRun['server'];
}

interface NativeRun { ttftMs: number; decodeTokPerSec: number | null; completionTokens: number; promptTokens: number; totalMs: number; ids: number[]; text?: string }
type NativeRequest = { op: 'info' } | { op: 'run'; model: GgufName; promptIds: readonly number[]; tokens: number };

declare global {
  interface Window {
    /** cpu-runner.mjs: native llama.cpp (node-llama-cpp) in the bench's Node process. */
    benchNative?: (req: NativeRequest) => Promise<Record<string, unknown>>;
  }
}

export interface Peer {
  /** `prompt` is what wllama sends (text); `promptIds` what native llama.cpp evaluates. */
  run(prompt: string, promptIds: readonly number[], tokens: number): Promise<PeerResult>;
  dispose(): Promise<void>;
  info: Record<string, unknown>;
}

/**
 * Byte tokens of the fixture vocabulary for bytes ≥ 0x80 (GPT-2's byte-to-unicode table):
 * alone they are not UTF-8, which wllama cannot stream (wllama-bench.ts).
 */
export function nonUtf8ByteTokens(vocab: Record<string, number>): number[] {
  const high = new Set(byteToUnicode().slice(0x80));
  return Object.entries(vocab).filter(([t]) => [...t].some((ch) => high.has(ch))).map(([, id]) => id).sort((a, b) => a - b);
}

function wllamaPeer(h: WllamaHandle): Peer {
  return {
    run: async (prompt, _ids, tokens) => ({ ...(await h.run(prompt, tokens)), ids: [] }),
    dispose: () => h.dispose(),
    info: h.info,
  };
}

function nativePeer(model: GgufName, info: Record<string, unknown>): Peer {
  const call = window.benchNative as NonNullable<Window['benchNative']>;
  return {
    run: async (_prompt, promptIds, tokens) => {
      const r = (await call({ op: 'run', model, promptIds, tokens })) as unknown as NativeRun;
      return { ...r, ttftMs: round(r.ttftMs), decodeTokPerSec: round(r.decodeTokPerSec, 2), totalMs: round(r.totalMs) as number };
    },
    // run.mjs's Node side owns the models and frees them when the page is done.
    dispose: async () => undefined,
    info,
  };
}

/** Loads the selected peers; `skipped` says why the others are missing. */
export async function loadPeers(cfg: PeerConfig, threads: number, bannedIds: readonly number[]): Promise<{ peers: Partial<Record<PeerKey, Peer>>; skipped: Partial<Record<PeerKey, string>> }> {
  const peers: Partial<Record<PeerKey, Peer>> = {};
  const skipped: Partial<Record<PeerKey, string>> = {};
  for (const key of cfg.peers.filter((k) => k.startsWith('wllama'))) {
    log(`cpu ${threads}T: loading wllama on ${cfg.ggufUrls[PEER_FILE[key]]}`);
    try {
      peers[key] = wllamaPeer(await loadWllama({ modelUrl: cfg.ggufUrls[PEER_FILE[key]], wasmUrl: cfg.wllamaWasmUrl, threads, contextSize: cfg.contextSize, bannedIds }));
    } catch (e) {
      skipped[key] = `wllama failed to load: ${String((e as Error)?.message ?? e)}`;
      log(`cpu ${threads}T: ${key} skipped: ${skipped[key]}`);
    }
  }
  const nativeKeys = cfg.peers.filter((k) => k.startsWith('native'));
  if (nativeKeys.length > 0) {
    const info = window.benchNative ? await window.benchNative({ op: 'info' }) : { skipped: 'no native bridge (cpu-runner.mjs did not expose benchNative)' };
    const models = (info.models ?? {}) as Record<string, Record<string, unknown>>;
    for (const key of nativeKeys) {
      const m = models[PEER_FILE[key]];
      if (m) peers[key] = nativePeer(PEER_FILE[key], { ...m, ...(info.info as Record<string, unknown>) });
      else skipped[key] = String(info.skipped ?? `native llama.cpp has no ${PEER_FILE[key]} model`);
    }
    if (info.skipped) log(`cpu ${threads}T: native llama.cpp skipped: ${String(info.skipped)}`);
  }
  return { peers, skipped };
}
