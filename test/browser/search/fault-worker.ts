/**
 * TEST-ONLY: the search host as the shipped worker runs it, plus the `faultsForTests`
 * hook that only this test worker passes: `armFault(n, name)` makes the nth write
 * transaction from now fail with a DOMException of that name (QuotaExceededError by
 * default) just before it would commit, so IndexedDB rolls back everything that call
 * wrote, as a full disk does.
 */
import { expose } from 'comlink';
import { createSearchHost } from '../../../src/search/worker/host.js';
import { installErrorTransfer } from '../../../src/worker/transfer.js';

let countdown = 0;
let errorName = 'QuotaExceededError';
installErrorTransfer();
const host = createSearchHost({
  faultsForTests: {
    beforeCommit() {
      if (countdown > 0 && --countdown === 0) throw new DOMException(`fault-injected: ${errorName}`, errorName);
    },
  },
});
expose({
  ...host,
  armFault(n: number, name = 'QuotaExceededError'): void {
    countdown = n;
    errorName = name;
  },
});
