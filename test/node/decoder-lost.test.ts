/**
 * A GPU device lost while a forward pass is in flight: the step must fail typed at once,
 * not wait on a run that may never settle. The session is the real tiny-llama fixture on
 * onnxruntime-web's WASM build; only its second run is a FAKE that never settles, standing in
 * for a WebGPU run on a destroyed device (no GPU here, and Dawn's software adapter settles or
 * hangs such a run depending on timing: the flaky case this test pins down).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/backends/onnx/decoder.js';
import type { DecoderConfig } from '../../src/backends/onnx/config.js';
import type { OrtModule } from '../../src/backends/onnx/runtime.js';
import { isEdgewiseError } from '../../src/errors.js';
import { layoutOf, open, ort, read, tinyLlama } from './transform/ort-node.js';

describe('Decoder: the device lost during a run', () => {
  it('fails the run in flight with device_lost, and every later step at once', async () => {
    const dir = tinyLlama();
    const l = layoutOf(dir);
    const real = await open(read(join(dir, 'onnx', 'model.onnx')));
    let runs = 0;
    const session = new Proxy(real, {
      get: (t, k) => (k === 'run' ? (feeds: Parameters<typeof real.run>[0]) => (++runs === 1 ? t.run(feeds) : new Promise(() => undefined)) : Reflect.get(t, k)),
    });
    const cfg: DecoderConfig = { modelType: 'llama', numLayers: l.layers, numKvHeads: l.kvHeads, headDim: l.headDim, vocabSize: l.vocab, contextLength: 64, bosId: 1, eosIds: new Set([2]), kvDtype: 'float32' };
    const d = new Decoder(ort as unknown as OrtModule, session, cfg);
    expect((await d.step([1, 5, 6])).length).toBe(l.vocab);
    const hung = d.step([7]);
    let settled = false;
    hung.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    d.lose('destroyed');
    const e = await hung.then(() => undefined, (x: unknown) => x);
    expect(isEdgewiseError(e) && e.code).toBe('device_lost');
    const next = await d.step([8]).then(() => undefined, (x: unknown) => x);
    expect(isEdgewiseError(next) && next.code).toBe('device_lost');
    expect(runs).toBe(2);
  });
});
