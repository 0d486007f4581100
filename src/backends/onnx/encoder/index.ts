/**
 * The worker-side text encoder for local embeddings: `readEncoderConfig` vets
 * `config.json` before any download, `openEncoder` opens the model and embeds.
 */
export { openEncoder, type CreateSession, type Encoder, type EncoderFiles, type EncoderResult } from './encoder.js';
export { readEncoderConfig, type EncoderConfig } from './config.js';
