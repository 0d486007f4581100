/**
 * Everything embed() needs, as one lazy chunk: an app that only generates text never
 * downloads it (the core stays within its size budget).
 */
export { createEmbedding } from '../openai-embeddings.js';
export { runEmbed } from '../run/embed.js';
export { checkEmbed } from './validate.js';
