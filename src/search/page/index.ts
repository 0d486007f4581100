// Stub: filled in by the search work (issue 18).
export type { AddOptions, AddResult, AnswerPart, AnswerRequest, Chunk, ChunkOptions, IndexDocument, IndexInfo, IndexOptions, IndexProgress, JSONValue, SearchHit, SearchIndex, SearchMode, SearchOptions, SourcePart, VectorType } from '../types.js';
