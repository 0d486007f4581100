/**
 * The stored search indexes as `engine.cache` lists and deletes them: reads of the index
 * database's records only (small), so they run wherever the caller is. A lazy chunk.
 */
import type { IndexInfo } from './types.js';

// Stub: filled in by the search work (issue 18).
export async function listIndexes(): Promise<IndexInfo[]> {
  return [];
}

export async function deleteIndex(name: string): Promise<boolean> {
  void name;
  return false;
}
