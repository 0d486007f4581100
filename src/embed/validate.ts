/** Checks embed() input and options on the calling thread, with typed errors that say what to pass. */
import type { EmbedRequest } from '../backends/backend.js';
import { EdgewiseError } from '../errors.js';
import { checkPolicy, checkSignal, describe } from '../options.js';
import type { Policy } from '../route/vocab.js';
import type { EmbeddingOptions } from '../types.js';

export interface CheckedEmbed {
  request: EmbedRequest;
  signal: AbortSignal | undefined;
  policy: Policy | undefined;
  onProgress: EmbeddingOptions['onProgress'];
}

const POOLINGS = ['mean', 'cls', 'pooled'];

export function checkEmbed(texts: unknown, options: unknown): CheckedEmbed {
  if (!Array.isArray(texts)) throw new EdgewiseError('invalid_input', `embed() takes an array of strings, got ${describe(texts)}: wrap a single text as [text].`);
  const bad = texts.findIndex((t) => typeof t !== 'string');
  if (bad >= 0) throw new EdgewiseError('invalid_input', `texts[${bad}] is ${describe(texts[bad])}: every item must be a string (convert numbers and objects to text first).`, { details: { index: bad } });
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new EdgewiseError('invalid_option', `embed() options must be an object ({ signal, batchSize, normalize, pooling, onProgress }), not ${describe(options)}.`, { details: { option: 'embed' } });
  }
  const o = (options ?? {}) as EmbeddingOptions;
  const batchSize = o.batchSize ?? 32;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1024) {
    throw new EdgewiseError('invalid_option', `batchSize is ${describe(batchSize)}: pass an integer from 1 to 1024 (default 32).`, { details: { option: 'batchSize' } });
  }
  if (o.normalize !== undefined && typeof o.normalize !== 'boolean') {
    throw new EdgewiseError('invalid_option', `normalize is ${describe(o.normalize)}: pass true (unit-length vectors, the default) or false.`, { details: { option: 'normalize' } });
  }
  if (o.pooling !== undefined && !POOLINGS.includes(o.pooling)) {
    throw new EdgewiseError('invalid_option', `pooling is ${describe(o.pooling)}: pass 'mean', 'cls' or 'pooled', or leave it out for the model's default.`, { details: { option: 'pooling' } });
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new EdgewiseError('invalid_callback', `embed().onProgress is ${describe(o.onProgress)}: pass a function ({ done, total }) => void or leave it out.`);
  }
  const request: EmbedRequest = { texts: [...(texts as string[])], batchSize, normalize: o.normalize ?? true };
  if (o.pooling !== undefined) request.pooling = o.pooling;
  return {
    request,
    signal: checkSignal(o.signal, 'embed()'),
    policy: o.policy === undefined ? undefined : checkPolicy(o.policy, 'embed().policy'),
    onProgress: o.onProgress,
  };
}
