/**
 * The weight store: downloads model files with progress, resume and integrity checks,
 * and keeps them in IndexedDB in fixed-size chunks. Runs in the worker or in a page.
 */
export { loadModelFiles, loadModelFilesByRange } from './load.js';
export type { StoredRange } from './stored-range.js';
export { listCachedModels, cacheUsage, hasCachedModel, deleteCachedModel, clearCache } from './manage.js';
export type { FileRequest, LoadFilesOptions } from './options.js';
export type { EstimateFn } from './quota.js';
export type { UseStore } from './idb.js';
