/**
 * A kernel thread: a worker running `edgewise.worker.js` under the name
 * `KERNEL_THREAD_NAME`. It instantiates the kernel on the decoder's shared memory and runs
 * its share of each matmul and attention that `threads.ts` posts in its control block,
 * waiting on `Atomics.wait` between jobs. It has no other job and no comlink: the control
 * block is its whole protocol.
 */
import type { KernelExports } from './memory.js';

export const KERNEL_THREAD_NAME = 'edgewise-kernel-thread';

/** Control block, in int32 slots: job counter, last job done, op, then the op's arguments. */
export const CTL = { seq: 0, done: 1, op: 2, args: 3 } as const;
export const CTL_SLOTS = 32;
export const OP = { matmul: 1, attention: 2, exit: -1 } as const;

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
  const a = (i: number): number => ctl[CTL.args + i] as number;
  if (ctl[CTL.op] === OP.matmul) k.matmul(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10));
  else if (ctl[CTL.op] === OP.attention) k.attention(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14));
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
