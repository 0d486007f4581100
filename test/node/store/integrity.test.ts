import { describe, expect, it } from 'vitest';
import { chunkChecksum, isHtmlContentType, looksLikeHtml, sameDigest } from '../../../src/store/integrity.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('HTML sniffing', () => {
  it('recognizes pages by their first bytes, whatever the case, BOM or leading whitespace', () => {
    for (const page of ['<!DOCTYPE html><html>', '<!doctype html>', '\ufeff  \n<html lang="en">', '<head><title>x', '\t<body>']) {
      expect(looksLikeHtml(bytes(page)), page).toBe(true);
    }
  });

  it('accepts model files: JSON, ONNX protobuf, GGUF, safetensors', () => {
    const onnx = new Uint8Array([0x08, 0x07, 0x12, 0x0b, 0x62, 0x61, 0x63, 0x6b]);
    for (const head of [bytes('{"vocab_size": 512}'), bytes('[1, 2]'), onnx, bytes('GGUF\x03\x00'), new Uint8Array([0x58, 0x02, 0, 0, 0, 0, 0, 0, 0x7b])]) {
      expect(looksLikeHtml(head)).toBe(false);
    }
    expect(looksLikeHtml(new Uint8Array(0))).toBe(false);
  });

  it('flags text/html and xhtml content types only', () => {
    expect(isHtmlContentType('text/html; charset=utf-8')).toBe(true);
    expect(isHtmlContentType('application/xhtml+xml')).toBe(true);
    expect(isHtmlContentType('application/json')).toBe(false);
    expect(isHtmlContentType('application/octet-stream')).toBe(false);
    expect(isHtmlContentType(null)).toBe(false);
  });
});

describe('checksums', () => {
  it('chunk checksums are stable and change with any flipped byte', async () => {
    const a = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff);
    const b = a.slice();
    b[1234] = (b[1234] ?? 0) ^ 1;
    expect(await chunkChecksum(a)).toBe(await chunkChecksum(a.slice()));
    expect(await chunkChecksum(a)).not.toBe(await chunkChecksum(b));
    expect(await chunkChecksum(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('compares sha256 digests regardless of case and whitespace', () => {
    expect(sameDigest('ABCDEF', ' abcdef\n')).toBe(true);
    expect(sameDigest('abcdef', 'abcdee')).toBe(false);
  });
});
