/**
 * `edgewise/search`, page side: createIndex() and the search vocabulary. The worker that
 * stores and searches is `src/search/worker/`; `engine.answer()` (in the core) retrieves
 * through any index made here.
 */
export { createIndex } from './create.js';
export type {
  AddOptions, AddResult, AnswerPart, AnswerRequest, Chunk, ChunkOptions, IndexDocument, IndexInfo, IndexOptions, IndexProgress, JSONValue, SearchHit, SearchIndex,
  SearchMode, SearchOptions, SourcePart, VectorType,
} from '../types.js';
