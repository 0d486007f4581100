/**
 * The kernel on more than one thread: helper workers (`thread.ts`) share the decoder's
 * WebAssembly memory and each takes a slice of every matmul's output rows and of every
 * attention's heads (or rows), while this thread does the first slice. A job is posted by writing
 * its arguments into the helper's control block and bumping its counter (`Atomics.notify`
 * wakes a sleeping helper); this thread then waits for each helper's done counter. The
 * per-row ops of a prompt run (quantizing, SiLU · up, the residual norms) are cut by rows
 * as well: on two threads they were a tenth of a long prompt's time left on one. Rotary and
 * the cache copy stay on this thread, and so do a decode step's per-row ops: splitting one
 * row would cost more in hand-offs than it takes.
 *
 * A helper that never starts (no nested workers, a CSP that refuses the script) leaves the
 * kernel on one thread; one that stops answering mid-step is dropped and its slice done
 * here, so a step never hangs on it.
 */
import { CTL, CTL_SLOTS, KERNEL_THREAD_NAME, OP, floatBits, runOp, type ThreadStart } from './thread.js';
import type { KernelMemory } from './memory.js';

/** Where the helpers' control blocks live: in the reserved first page, above the module's own data. */
const CTL_BASE = 16_384;
const START_TIMEOUT_MS = 5_000;
/** A job's slice takes milliseconds; a helper this late is gone. */
const STALL_MS = 5_000;
/** Rows per thread below which attention is cut by heads and the per-row ops stay on this thread: a decode step has one row. */
const ROW_SPLIT = 16;
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
    this.run(OP.matmul, cuts, (lo, hi) => [w, scale, bias, a, aScale, y, ldy, M, kp, lo, hi]);
  }

  /**
   * Attention over heads for a decode step; a prompt run of at least ROW_SPLIT rows per thread
   * is cut by rows instead, where row m reads pos0 + m + 1 keys, so each thread gets about the
   * same number of key reads (9 heads on 2 threads would leave one thread 5 of them).
   */
  attention(q: number, ldq: number, keys: number, values: number, cap: number, out: number, ldo: number, M: number, pos0: number, heads: number, kvHeads: number, d: number, scores: number, scoresPerThread: number): void {
    if (M < ROW_SPLIT * this.count) {
      this.run(OP.attention, this.cuts(0, heads, 1), (lo, hi, i) => [q, ldq, keys, values, cap, out, ldo, M, pos0, heads, kvHeads, d, lo, hi, scores + i * scoresPerThread]);
    } else {
      this.run(OP.attention, rowCuts(M, pos0, this.count), (lo, hi, i) => [q + lo * ldq * 4, ldq, keys, values, cap, out + lo * ldo * 4, ldo, hi - lo, pos0 + lo, heads, kvHeads, d, 0, heads, scores + i * scoresPerThread]);
    }
  }

  // The per-row ops of a prompt run are cut by rows too (each row is computed whole, so the
  // numbers do not depend on the cut); a decode step's single row runs here.
  quantRows(x: number, M: number, K: number, Kp: number, q: number, scales: number): void {
    if (M < ROW_SPLIT * this.count) this.mem.k.quantRows(x, M, K, Kp, q, scales);
    else this.run(OP.quantRows, this.cuts(0, M, 1), (lo, hi) => [x + lo * K * 4, hi - lo, K, Kp, q + lo * Kp * 2, scales + lo * 4]);
  }

  siluMul(gu: number, ld: number, upAt: number, out: number, M: number, I: number): void {
    if (M < ROW_SPLIT * this.count) this.mem.k.siluMul(gu, ld, upAt, out, M, I);
    else this.run(OP.siluMul, this.cuts(0, M, 1), (lo, hi) => [gu + lo * ld * 4, ld, upAt, out + lo * I * 4, hi - lo, I]);
  }

  addRmsNorm(res: number, delta: number, w: number, y: number, M: number, K: number, eps: number): void {
    if (M < ROW_SPLIT * this.count) this.mem.k.addRmsNorm(res, delta, w, y, M, K, eps);
    else this.run(OP.addRmsNorm, this.cuts(0, M, 1), (lo, hi) => [res + lo * K * 4, delta + lo * K * 4, w, y + lo * K * 4, hi - lo, K, floatBits(eps)]);
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

  /** Posts each helper its slice (args of its cut and its slot), runs the first slice here, then waits for the helpers. */
  private run(op: number, cuts: number[], args: (lo: number, hi: number, slot: number) => number[]): void {
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
    if ((cuts[1] as number) > (cuts[0] as number)) runOp(this.mem.k, op, args(cuts[0] as number, cuts[1] as number, 0));
    for (const [h, lo, hi] of posted) {
      if (this.wait(h)) continue;
      // Stalled: stop using it and do its slice here (attention in this thread's own scores, slot 0).
      this.helpers = this.helpers.filter((x) => x !== h);
      h.worker.terminate();
      runOp(this.mem.k, op, args(lo, hi, 0));
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

/** count + 1 row boundaries of 0..M, where row m costs pos0 + m + 1, splitting the total cost evenly. */
export function rowCuts(M: number, pos0: number, count: number): number[] {
  const cost = (r: number): number => r * pos0 + (r * (r + 1)) / 2;
  const total = cost(M);
  const out = [0];
  let r = 0;
  for (let i = 1; i < count; i++) {
    while (r < M && cost(r) < (total * i) / count) r++;
    out.push(r);
  }
  out.push(M);
  return out;
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
