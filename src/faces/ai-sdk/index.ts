/** The AI SDK face: `createEdgewise()` and the types an app may name. */
export { createEdgewise } from './provider.js';
export type { EdgewiseProvider, EdgewiseProviderSettings } from './provider.js';
export type { EdgewiseLanguageModel } from './language-model.js';
export type { EdgewiseEmbeddingModel } from './embedding-model.js';
export type { EdgewiseCallOptions } from './provider-options.js';
