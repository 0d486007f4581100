/** The inference worker: exposes the host over comlink; all logic lives in src/worker/host.ts. */
import { expose } from 'comlink';
import { createHost } from '../src/worker/host.js';
import { WORKER_KINDS } from '../src/worker/registry.js';
import { installErrorTransfer } from '../src/worker/transfer.js';

installErrorTransfer();
expose(createHost(WORKER_KINDS));
