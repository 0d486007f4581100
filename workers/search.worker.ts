/** The search worker: exposes the index host over comlink; all logic lives in src/search/worker/. */
import { expose } from 'comlink';
import { createSearchHost } from '../src/search/worker/host.js';
import { installErrorTransfer } from '../src/worker/transfer.js';

installErrorTransfer();
expose(createSearchHost());
