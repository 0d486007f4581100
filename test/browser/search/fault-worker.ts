/**
 * TEST-ONLY: the search host as the shipped worker runs it, plus the `faultsForTests`
 * hook that only this test worker passes: `armQuota(n)` makes the nth write transaction
 * from now fail with a QuotaExceededError just before it would commit, so IndexedDB
 * rolls back everything that call wrote, as a full disk does.
 */
import { expose } from 'comlink';
import { createSearchHost } from '../../../src/search/worker/host.js';
import { installErrorTransfer } from '../../../src/worker/transfer.js';

let countdown = 0;
installErrorTransfer();
const host = createSearchHost({
  faultsForTests: {
    beforeCommit() {
      if (countdown > 0 && --countdown === 0) throw new DOMException('fault-injected: the origin is over its quota', 'QuotaExceededError');
    },
  },
});
expose({
  ...host,
  armQuota(n: number): void {
    countdown = n;
  },
});
