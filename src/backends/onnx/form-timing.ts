/**
 * Times one weight form's decode speed on this device, for `wasmWeights: 'auto'`: the
 * graph opens in a session with the real load's options, prefills a short prompt, and
 * decodes a few tokens. The session is released before the next form opens, so the two
 * never hold memory at once (a kernel's memory goes with its decoder).
 */
import { now } from '../../clock.js';
import { capabilities } from '../../capabilities.js';
import type { DecoderConfig } from './config.js';
import { Decoder, type StepDecoder } from './decoder.js';
import { deviceSignature, type DeviceFacts } from './form-choice.js';
import { createSession, type OrtModule } from './runtime.js';
import { wholeFiles, type WeightFile } from './weight-files.js';

/** Prompt tokens before the timed steps: the cache holds a little context, as in a real request. */
const PROMPT_TOKENS = 8;
/**
 * One untimed step (the first run of a session sets up its kernels), then the fastest of
 * these: on a shared machine other work only ever adds time, so the minimum is the form's
 * own speed (medians of 3 flipped the winner on a busy 2-core machine; decode steps of a
 * model small enough to have both forms in reach take milliseconds).
 */
const TIMED_STEPS = 8;

export interface FormTimer {
  /** The device the measurement is remembered for. */
  signature: string;
  /** Decode speed of a form's graph in tokens per second. */
  time(graph: Uint8Array, external: readonly WeightFile[]): Promise<number>;
}

/** The device facts, with the thread count `loadOrt` gives the runtime for `numThreads`. */
export function deviceFacts(numThreads: number): DeviceFacts {
  const caps = capabilities();
  return {
    threads: caps.threads ? Math.max(1, numThreads) : 1,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: caps.cores,
    userAgent: globalThis.navigator?.userAgent ?? '',
  };
}

/**
 * With `kernel`, a form the decoder kernel runs (an int8 form with a plan) is timed on the
 * kernel, as the load will run it; the signature says so, so a choice made with the kernel
 * is not reused without it.
 */
export function formTimer(ort: Promise<OrtModule>, cfg: DecoderConfig, numThreads: number, kernel: boolean): FormTimer {
  return {
    signature: deviceSignature(deviceFacts(numThreads)) + (kernel ? '-kernel' : ''),
    time: async (graph, external) => {
      const k = kernel ? await (await import('./transform/index.js')).openKernel(graph, external, Math.min(cfg.contextLength, 256), { numThreads }) : undefined;
      if (k?.decoder) {
        try {
          return await decodeSpeed(k.decoder, cfg);
        } finally {
          k.decoder.dispose();
        }
      }
      const session = await createSession(await ort, graph, await wholeFiles(external), { device: 'wasm' });
      try {
        return await decodeSpeed(new Decoder(await ort, session, cfg), cfg);
      } finally {
        await session.release();
      }
    },
  };
}

async function decodeSpeed(decoder: StepDecoder, cfg: DecoderConfig): Promise<number> {
  // Any ids in the vocabulary: the kernels' speed does not depend on which.
  const id = (i: number): number => (i * 7919 + 1) % cfg.vocabSize;
  await decoder.step(Array.from({ length: PROMPT_TOKENS }, (_, i) => id(i)));
  const ms: number[] = [];
  for (let i = 0; i <= TIMED_STEPS; i++) {
    const started = now();
    await decoder.step([id(PROMPT_TOKENS + i)]);
    if (i > 0) ms.push(now() - started);
  }
  return 1000 / Math.max(Math.min(...ms), 0.001);
}
