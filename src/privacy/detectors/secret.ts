/**
 * Credentials people paste: provider API keys, tokens, JWTs, authorization headers, PEM
 * private keys, password assignments, webhook URLs, connection-string passwords. Anchored
 * on prefixes, labels and structure, so ordinary text is never taken for a secret; each
 * family lives in its own `secret-*.ts` file.
 */
import type { Detector } from '../span.js';
import { findCliCredentials, findPemKeys, findUrlCredentials, findWebhooks } from './secret-blocks.js';
import { findBareBearer, findLabelled } from './secret-labels.js';
import { findTokens } from './secret-tokens.js';

export const findSecrets: Detector = (text, found) => {
  findTokens(text, found);
  findLabelled(text, found);
  findBareBearer(text, found);
  findPemKeys(text, found);
  findWebhooks(text, found);
  findUrlCredentials(text, found);
  findCliCredentials(text, found);
};
