// The transform hands the worker back between blocks and stops on its signal: an abort or
// dispose during a first load must not wait for the whole rewrite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transformModel } from '../../../src/backends/onnx/transform/index.js';
import { pacer } from '../../../src/backends/onnx/transform/pace.js';
import { read, tinyLlama } from './ort-node.js';

describe('transform pacing', () => {
  it('yields to the event loop once its slice is spent, so queued messages run between blocks', async () => {
    let fired = false;
    setTimeout(() => { fired = true; }, 0);
    const pace = pacer(undefined, 0);
    // A busy loop that only paces: awaiting microtasks alone would never let the timer fire.
    const until = Date.now() + 1000;
    while (!fired && Date.now() < until) await pace();
    expect(fired).toBe(true);
  });

  it('throws the typed aborted error at the first block after the signal fires', async () => {
    const ac = new AbortController();
    const pace = pacer(ac.signal, 0);
    await pace();
    ac.abort();
    await expect(pace()).rejects.toMatchObject({ code: 'aborted' });
  });

  it('a transform whose signal has fired rejects with aborted and returns nothing', async () => {
    const src = read(join(tinyLlama(), 'onnx', 'model_q4.onnx'));
    const ac = new AbortController();
    ac.abort();
    await expect(transformModel(src, new Map(), { form: 'int8', tiedEmbeddings: true, dataName: 'm.data', signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
  });
});
