/** The search worker: exposes the index host over comlink; all logic lives in src/search/worker/. */
// Stub: filled in by the search work (issue 18).
export {};
