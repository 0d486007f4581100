/**
 * Everything embed() needs, as one lazy chunk: an app that only generates text never
 * downloads it (the core stays within its size budget).
 */
export { createLocalEmbedder } from '../backends/local-embedder.js';
export { createEmbedding } from '../openai-embeddings.js';
export { dispatchEmbed } from './dispatch.js';
export { checkEmbed } from './validate.js';
