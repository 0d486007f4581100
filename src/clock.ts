/**
 * The clock of `request.startedAt` and of every timing in `usage`: milliseconds since the
 * epoch with sub-millisecond precision, the same in the page and in the worker (each
 * realm's `timeOrigin` differs; their sum does not), so the worker can time a request the
 * page started.
 */
export const now = (): number => performance.timeOrigin + performance.now();
