/**
 * `edgewise/prompt-api`: the Prompt API's `LanguageModel` (webmachinelearning/prompt-api)
 * over an engine, on any browser and in workers. A separate entry: it imports the core as
 * `./edgewise.js`, so apps that do not use it never load it.
 */
export * from './faces/prompt-api/index.js';
