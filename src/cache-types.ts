/** What `engine.cache` reports: the models it holds and the storage they use. */

export interface CachedModelInfo {
  /** Cache key: model id and dtype. */
  key: string;
  url: string;
  bytes: number;
  files: number;
  lastUsed: number;
  complete: boolean;
}

export interface CacheUsage {
  /** Bytes of model files held by edgewise. */
  bytes: number;
  /** `navigator.storage.estimate()` figures for the whole origin, when available. */
  quota?: number;
  usage?: number;
  persisted?: boolean;
}
