/**
 * The kernel on more than one thread: helper workers (`thread.ts`) share the decoder's
 * WebAssembly memory and each takes a slice of every matmul's output rows and of every
 * attention's heads, while this thread does the first slice. A job is posted by writing
 * its arguments into the helper's control block and bumping its counter (`Atomics.notify`
 * wakes a sleeping helper); this thread then waits for each helper's done counter. The
 * cheap per-row ops (norms, rotary, quantizing) stay on this thread: splitting them would
 * cost more in hand-offs than they take.
 *
 * A helper that never starts (no nested workers, a CSP that refuses the script) leaves the
 * kernel on one thread; one that stops answering mid-step is dropped and its slice done
 * here, so a step never hangs on it.
 */
import { CTL, CTL_SLOTS, KERNEL_THREAD_NAME, OP, type ThreadStart } from './thread.js';
import type { KernelMemory } from './memory.js';

/** Where the helpers' control blocks live: in the reserved first page, above the module's own data. */
const CTL_BASE = 16_384;
const START_TIMEOUT_MS = 5_000;
/** A job's slice takes milliseconds; a helper this late is gone. */
const STALL_MS = 5_000;
/** Polls before sleeping: about a millisecond; waking from Atomics.wait costs tens of microseconds, per matmul. */
const SPINS = 200_000;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  seq: number;
}

export class KernelThreads {
  private constructor(private readonly mem: KernelMemory, private helpers: Helper[]) {}

  get count(): number {
    return this.helpers.length + 1;
  }

  /** Starts `threads - 1` helpers on `mem` (a shared memory); resolves with the ones that started. */
  static async start(mem: KernelMemory, threads: number, scriptUrl: string): Promise<KernelThreads> {
    const started = await Promise.all(Array.from({ length: Math.max(0, threads - 1) }, (_, i) => startHelper(mem, scriptUrl, CTL_BASE + i * CTL_SLOTS * 4)));
    return new KernelThreads(mem, started.filter((h): h is Helper => h !== undefined));
  }

  /** `matmul` over output rows n0..n1, cut in slices of multiples of 4 rows (the kernel's tile). */
  matmul(w: number, scale: number, bias: number, a: number, aScale: number, y: number, ldy: number, M: number, kp: number, n0: number, n1: number): void {
    const cuts = this.cuts(n0, n1, 4);
    this.run(OP.matmul, cuts, (lo, hi) => [w, scale, bias, a, aScale, y, ldy, M, kp, lo, hi], (lo, hi) => this.mem.k.matmul(w, scale, bias, a, aScale, y, ldy, M, kp, lo, hi));
  }

  attention(q: number, ldq: number, keys: number, values: number, cap: number, out: number, ldo: number, M: number, pos0: number, heads: number, kvHeads: number, d: number, scores: number, scoresPerThread: number): void {
    const cuts = this.cuts(0, heads, 1);
    this.run(OP.attention, cuts, (lo, hi, i) => [q, ldq, keys, values, cap, out, ldo, M, pos0, heads, kvHeads, d, lo, hi, scores + i * scoresPerThread], (lo, hi) => this.mem.k.attention(q, ldq, keys, values, cap, out, ldo, M, pos0, heads, kvHeads, d, lo, hi, scores));
  }

  dispose(): void {
    for (const h of this.helpers) {
      Atomics.store(h.ctl, CTL.op, OP.exit);
      Atomics.add(h.ctl, CTL.seq, 1);
      Atomics.notify(h.ctl, CTL.seq);
      h.worker.terminate();
    }
    this.helpers = [];
  }

  /** count + 1 boundaries splitting lo..hi evenly, each a multiple of `unit` from lo. */
  private cuts(lo: number, hi: number, unit: number): number[] {
    const units = Math.ceil((hi - lo) / unit);
    const out = [lo];
    for (let i = 1; i < this.count; i++) out.push(Math.min(hi, lo + Math.round((units * i) / this.count) * unit));
    out.push(hi);
    return out;
  }

  private run(op: number, cuts: number[], args: (lo: number, hi: number, slot: number) => number[], here: (lo: number, hi: number) => void): void {
    const posted: [Helper, number, number][] = [];
    this.helpers.forEach((h, i) => {
      const [lo, hi] = [cuts[i + 1] as number, cuts[i + 2] as number];
      if (hi <= lo) return;
      h.ctl.set(args(lo, hi, i + 1), CTL.args);
      Atomics.store(h.ctl, CTL.op, op);
      h.seq = Atomics.add(h.ctl, CTL.seq, 1) + 1;
      Atomics.notify(h.ctl, CTL.seq);
      posted.push([h, lo, hi]);
    });
    here(cuts[0] as number, cuts[1] as number);
    for (const [h, lo, hi] of posted) {
      if (this.wait(h)) continue;
      // Stalled: stop using it and do its slice here (attention in this thread's own scores).
      this.helpers = this.helpers.filter((x) => x !== h);
      h.worker.terminate();
      here(lo, hi);
    }
  }

  /** Spins first (a helper's slice ends within microseconds of this thread's), then sleeps in 1 ms waits. */
  private wait(h: Helper): boolean {
    for (let i = 0; i < SPINS; i++) if (Atomics.load(h.ctl, CTL.done) === h.seq) return true;
    const deadline = performance.now() + STALL_MS;
    for (;;) {
      const done = Atomics.load(h.ctl, CTL.done);
      if (done === h.seq) return true;
      if (performance.now() > deadline) return false;
      Atomics.wait(h.ctl, CTL.done, done, 1);
    }
  }
}

function startHelper(mem: KernelMemory, scriptUrl: string, ctl: number): Promise<Helper | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(scriptUrl, { type: 'module', name: KERNEL_THREAD_NAME });
    } catch {
      resolve(undefined);
      return;
    }
    const fail = (): void => { clearTimeout(timer); worker.terminate(); resolve(undefined); };
    const timer = setTimeout(fail, START_TIMEOUT_MS);
    worker.onerror = fail;
    worker.onmessage = (e: MessageEvent<unknown>) => {
      if (e.data === 'ready') {
        const start: ThreadStart = { module: mem.module, memory: mem.memory, ctl };
        worker.postMessage(start);
      } else if (e.data === 'started') {
        clearTimeout(timer);
        worker.onmessage = null;
        // The block is in the reserved page, zero since the memory was made: seq and done start equal.
        resolve({ worker, ctl: new Int32Array(mem.memory.buffer, ctl, CTL_SLOTS), seq: 0 });
      } else {
        fail();
      }
    };
  });
}
