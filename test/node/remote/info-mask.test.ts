import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/index.js';

describe('engine.info() and the remote URL', () => {
  it('masks query values (they may be keys) and keeps the path', async () => {
    const engine = createEngine({ remote: { baseURL: 'https://fn.example.net/api/v1?code=s3cr3tFunctionKey&api-version=2024-10-21', model: 'm' }, policy: 'remote-only' });
    const info = await engine.info();
    expect(info.remote?.baseURL).toBe('https://fn.example.net/api/v1?code=***&api-version=***');
    expect(JSON.stringify(info)).not.toContain('s3cr3tFunctionKey');
    await engine.dispose();
  });
});
