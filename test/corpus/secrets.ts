/**
 * Credentials people paste into a chat: provider keys, tokens, JWTs, authorization
 * headers, PEM private keys, password assignments. Every value is made up in the shape
 * of the real thing. Plain data, no Node imports: the browser suite reads it too.
 */
import type { PiiItem } from './pii-item.js';

export const SECRETS: readonly PiiItem[] = [];
