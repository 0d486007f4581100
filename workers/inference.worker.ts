/**
 * The inference worker: exposes the host over comlink; all logic lives in src/worker/.
 * The same file runs as a dedicated worker (one page) or as a SharedWorker (every page of
 * the origin that connects): one file for both constructors, which bundlers already know.
 */
import { expose } from 'comlink';
import { createHost } from '../src/worker/host.js';
import { WORKER_KINDS } from '../src/worker/registry.js';
import { serveShared } from '../src/worker/shared-host.js';
import { installErrorTransfer } from '../src/worker/transfer.js';
import { KERNEL_THREAD_NAME, serveKernelThread } from '../src/backends/onnx/kernel/thread.js';

const scope = globalThis as unknown as { onconnect?: unknown; close(): void; name?: string };
// A helper thread of the decoder kernel (see src/backends/onnx/kernel/threads.ts): same file, no host.
// Imported statically: it is a few dozen lines, and a chunk shared between the entry and the
// kernel's lazy chunk broke Parcel's worker build ("Cannot find module").
if (scope.name === KERNEL_THREAD_NAME) {
  serveKernelThread(globalThis as unknown as Parameters<typeof serveKernelThread>[0]);
} else {
  installErrorTransfer();
  if ('onconnect' in scope) serveShared(WORKER_KINDS, scope as Parameters<typeof serveShared>[1]);
  else expose(createHost(WORKER_KINDS));
}
