/**
 * web-llm's `InitProgressReport`s as our `Progress`. web-llm reports a 0–1 `progress` that
 * restarts in each phase (fetching shards, reading them from its cache onto the GPU,
 * compiling shaders) and a sentence; never bytes it promises. So the phases are read from
 * the sentence and laid end to end on one scale:
 *
 * - fetching from the network: 0 → 80 %; reading from the cache: → 95 % (0 → 95 % when
 *   the weights were already cached, as there is no fetch); shaders: 95 → 99 %.
 * - the scale is `spec.bytes` when the spec gives the weights' size, else 1000 units, so
 *   `totalLoaded / totalBytes` is right either way; `loaded`/`total` say the same for the
 *   one label `mlc weights`.
 *
 * Like `store/progress.ts`, it never goes backwards and never reaches the total before the
 * engine is ready: web-llm's own "Finish loading" report is ignored; `done()` ends it.
 */
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { Progress } from '../../types.js';

/** The stable `Progress.file` label of a web-llm load. */
export const WEBLLM_PROGRESS_FILE = 'mlc weights';
/** The scale when the spec does not give the weights' size. */
export const FRACTION_SCALE = 1000;

type Phase = 'fetch' | 'read' | 'shaders';

const PHASES: readonly (readonly [RegExp, Phase])[] = [
  [/^Fetching param cache/i, 'fetch'],
  [/^Loading model from cache/i, 'read'],
  [/^Loading GPU shader modules/i, 'shaders'],
];

export interface ProgressMapper {
  /** The engine's `initProgressCallback`. Throws what `onProgress` throws. */
  report(r: InitProgressReport): void;
  /** The engine is ready: report the total. */
  done(): void;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

export function createProgressMapper(bytes: number | undefined, onProgress: ((p: Progress) => void) | undefined): ProgressMapper {
  const total = bytes !== undefined && Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : FRACTION_SCALE;
  let shown = 0;
  let fetched = false;
  let source: Progress['source'] = 'network';

  const emit = (value: number): void => {
    shown = Math.max(shown, value);
    onProgress?.({ file: WEBLLM_PROGRESS_FILE, loaded: shown, total, totalLoaded: shown, totalBytes: total, source });
  };

  return {
    report(r) {
      const phase = PHASES.find(([re]) => re.test(r.text))?.[1];
      // "Start to fetch params", "Finish loading on …" and anything unforeseen carry no measure.
      if (!phase) return;
      const p = clamp01(r.progress);
      let fraction: number;
      if (phase === 'fetch') {
        fetched = true;
        source = 'network';
        fraction = 0.8 * p;
      } else if (phase === 'read') {
        source = 'cache';
        const from = fetched ? 0.8 : 0;
        fraction = from + (0.95 - from) * p;
      } else {
        fraction = 0.95 + 0.04 * p;
      }
      emit(Math.min(total - 1, Math.floor(fraction * total)));
    },
    done() {
      if (!onProgress) return;
      shown = total;
      onProgress({ file: WEBLLM_PROGRESS_FILE, loaded: total, total, totalLoaded: total, totalBytes: total, source });
    },
  };
}
