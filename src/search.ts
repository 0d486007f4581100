/**
 * `edgewise/search`: a persistent on-device index over the user's own documents
 * (chunked, embedded through an engine, searched in its own worker). A separate entry:
 * it imports the core as `./edgewise.js`, so apps that do not search never load it.
 */
export * from './search/page/index.js';
