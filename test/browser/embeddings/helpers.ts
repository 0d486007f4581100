/** Shared by the embedding suites: where the generated encoder is served, vector math. */
import { FIXTURE_URL } from '../helpers.js';

export const BERT_URL = FIXTURE_URL.replace('tiny-llama/', 'tiny-bert/');
export const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
export const cosine = (a: Float32Array, b: Float32Array): number => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
