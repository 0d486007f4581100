import { describe, expect, it } from 'vitest';
import { INT8_MARGIN, browserMajor, deviceSignature, encodeRecord, measuredReason, parseRecord, pickForm, recordMaker, recordPath, type FormRecord } from '../../src/backends/onnx/form-choice.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.7500.0 Safari/537.36';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';

describe('the device signature a measurement is remembered under', () => {
  it('names the browser and its major version (Edge and Opera before the Chrome they also claim)', () => {
    expect(browserMajor(CHROME)).toBe('chrome156');
    expect(browserMajor(EDGE)).toBe('edge131');
    expect(browserMajor(FIREFOX)).toBe('firefox133');
    expect(browserMajor(SAFARI)).toBe('safari18');
    expect(browserMajor('')).toBe('unknown');
  });

  it('changes with threads, isolation, cores and browser version, and is safe in a path', () => {
    const base = { threads: 2, crossOriginIsolated: true, hardwareConcurrency: 2, userAgent: CHROME };
    expect(deviceSignature(base)).toBe('2t-coi-2c-chrome156');
    const variants = [{ threads: 1 }, { crossOriginIsolated: false }, { hardwareConcurrency: 8 }, { userAgent: CHROME.replace('156', '157') }];
    for (const v of variants) expect(deviceSignature({ ...base, ...v })).not.toBe(deviceSignature(base));
    expect(deviceSignature(base)).toMatch(/^[a-z0-9-]+$/);
  });

  it('lives beside the derived forms, versioned with the transform', () => {
    expect(recordPath('2t-coi-2c-chrome156', 3)).toBe('edgewise/wasm-choice/v3/2t-coi-2c-chrome156.json');
    expect(recordMaker(3)).toBe('wasm-choice/v3');
  });
});

describe('picking the winner', () => {
  it('the faster form wins; int8 must beat the exact fp32 form by the margin', () => {
    expect(pickForm({ int8: 38, fp32: 31 })).toBe('int8');
    expect(pickForm({ int8: 20, fp32: 31 })).toBe('fp32');
    expect(pickForm({ int8: 31 * INT8_MARGIN, fp32: 31 })).toBe('int8');
    expect(pickForm({ int8: 31 * INT8_MARGIN - 0.01, fp32: 31 })).toBe('fp32');
  });

  it('a form that could not be timed loses; nothing timed, no winner', () => {
    expect(pickForm({ fp32: 5 })).toBe('fp32');
    expect(pickForm({ int8: 5 })).toBe('int8');
    expect(pickForm({})).toBeUndefined();
  });

  it('the reason says what was measured, winner first, and whether an earlier load did it', () => {
    expect(measuredReason({ form: 'int8', tokensPerSecond: { int8: 38.04, fp32: 31.2 } }, false)).toBe('measured on this device: int8 38.0 tok/s vs fp32 31.2 tok/s');
    expect(measuredReason({ form: 'fp32', tokensPerSecond: { int8: 1234.5, fp32: 2000 } }, true)).toBe('measured on this device by an earlier load: fp32 2000 tok/s vs int8 1235 tok/s');
    expect(measuredReason({ form: 'fp32', tokensPerSecond: { int8: 33, fp32: 31 } }, false)).toContain(`int8 must be ${INT8_MARGIN}× faster`);
  });
});

describe('the record', () => {
  const record: FormRecord = { form: 'int8', tokensPerSecond: { int8: 38, fp32: 31 }, signature: '2t-coi-2c-chrome156', measuredAt: '2026-12-07T11:00:00.000Z' };

  it('round-trips', () => {
    expect(parseRecord(encodeRecord(record), record.signature)).toEqual(record);
  });

  it('anything else reads as no record (the next load measures again)', () => {
    const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
    expect(parseRecord(undefined, record.signature)).toBeUndefined();
    expect(parseRecord(new TextEncoder().encode('{not json'), record.signature)).toBeUndefined();
    expect(parseRecord(enc(null), record.signature)).toBeUndefined();
    expect(parseRecord(encodeRecord(record), '1t-nocoi-2c-chrome156')).toBeUndefined();
    expect(parseRecord(enc({ ...record, form: 'source' }), record.signature)).toBeUndefined();
    expect(parseRecord(enc({ ...record, tokensPerSecond: { fp32: 31 } }), record.signature)).toBeUndefined();
    expect(parseRecord(enc({ ...record, tokensPerSecond: { int8: 38, fp32: 'fast' } }), record.signature)).toEqual({ ...record, tokensPerSecond: { int8: 38 } });
  });
});
