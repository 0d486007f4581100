import { afterEach, expect, it } from 'vitest';
import { randomId } from '../../src/ids.js';

const g = globalThis as { isSecureContext?: boolean };
afterEach(() => { delete g.isSecureContext; });

it('draws ids without crypto.randomUUID on an insecure origin (plain http on a LAN address), all distinct', () => {
  g.isSecureContext = false;
  const ids = Array.from({ length: 1000 }, () => randomId());
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(ids).size).toBe(ids.length);
});

it('uses crypto.randomUUID where the context is secure', () => {
  g.isSecureContext = true;
  expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
