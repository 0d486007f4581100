/**
 * `edgewise/ai-sdk`: an engine as a Vercel AI SDK provider (`LanguageModelV4`,
 * `EmbeddingModelV4`). A separate entry: it imports the core as `./edgewise.js` and
 * `@ai-sdk/provider` as a peer, so apps that do not use the AI SDK never load it.
 */
export * from './faces/ai-sdk/index.js';
