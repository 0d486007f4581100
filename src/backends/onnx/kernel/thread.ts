/**
 * A kernel thread: a worker running `edgewise.worker.js` under the name
 * `KERNEL_THREAD_NAME`. It instantiates the kernel on the decoder's shared memory and runs
 * its share of each matmul, attention and per-row op that `threads.ts` posts in its control block,
 * waiting on `Atomics.wait` between jobs. It has no other job and no comlink: the control
 * block is its whole protocol.
 */
import type { KernelExports } from './memory.js';

export const KERNEL_THREAD_NAME = 'edgewise-kernel-thread';

/** Control block, in int32 slots: job counter, last job done, op, then the op's arguments. */
export const CTL = { seq: 0, done: 1, op: 2, args: 3 } as const;
export const CTL_SLOTS = 32;
export const OP = { matmul: 1, attention: 2, quantRows: 3, siluMul: 4, addRmsNorm: 5, exit: -1 } as const;

// A float argument travels as its float32 bits in an int32 slot.
const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);
export function floatBits(v: number): number {
  asFloat[0] = v;
  return bits[0] as number;
}
function fromBits(i: number): number {
  bits[0] = i;
  return asFloat[0] as number;
}

/** A job is usually posted within microseconds of the last: spin this long before sleeping. */
const SPIN_MS = 0.2;

export interface ThreadStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of this thread's control block in the memory. */
  ctl: number;
}

/** Runs one job of the control block on this thread's instance. */
export function runJob(k: KernelExports, ctl: Int32Array): void {
  runOp(k, ctl[CTL.op] as number, ctl.subarray(CTL.args));
}

/** Runs op with its arguments in the order the control block holds them (the posting thread runs its own slice this way too). */
export function runOp(k: KernelExports, op: number, a: ArrayLike<number>): void {
  const x = (i: number): number => a[i] as number;
  if (op === OP.matmul) k.matmul(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), x(9), x(10));
  else if (op === OP.attention) k.attention(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), x(9), x(10), x(11), x(12), x(13), x(14));
  else if (op === OP.quantRows) k.quantRows(x(0), x(1), x(2), x(3), x(4), x(5));
  else if (op === OP.siluMul) k.siluMul(x(0), x(1), x(2), x(3), x(4), x(5));
  else if (op === OP.addRmsNorm) k.addRmsNorm(x(0), x(1), x(2), x(3), x(4), x(5), fromBits(x(6)));
}

export function serveKernelThread(scope: { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<ThreadStart>) => void) | null }): void {
  scope.onmessage = (e) => {
    scope.onmessage = null;
    const { module, memory, ctl: at } = e.data;
    void WebAssembly.instantiate(module, { env: { memory } }).then((instance) => {
      const k = instance.exports as unknown as KernelExports;
      const ctl = new Int32Array(memory.buffer, at, CTL_SLOTS);
      scope.postMessage('started');
      let seen = Atomics.load(ctl, CTL.seq);
      for (;;) {
        const spinUntil = performance.now() + SPIN_MS;
        while (Atomics.load(ctl, CTL.seq) === seen) {
          if (performance.now() > spinUntil) Atomics.wait(ctl, CTL.seq, seen);
        }
        seen = Atomics.load(ctl, CTL.seq);
        if (ctl[CTL.op] === OP.exit) return;
        runJob(k, ctl);
        Atomics.store(ctl, CTL.done, seen);
        Atomics.notify(ctl, CTL.done);
      }
    }, (err: unknown) => scope.postMessage({ error: String(err) }));
  };
  scope.postMessage('ready');
}
