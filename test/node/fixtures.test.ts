import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHashes } from '../fixtures/file-hashes.js';
import { generateFixtures } from '../fixtures/generate.js';

describe('generated test models', () => {
  it('are byte-identical across two fresh generations (deterministic)', () => {
    const a = mkdtempSync(join(tmpdir(), 'ew-fix-a-'));
    const b = mkdtempSync(join(tmpdir(), 'ew-fix-b-'));
    try {
      generateFixtures({ outDir: a, log: () => undefined });
      generateFixtures({ outDir: b, log: () => undefined });
      const ha = fileHashes(a);
      expect(Object.keys(ha)).toEqual(expect.arrayContaining(['tiny-llama/onnx/model.onnx', 'tiny-llama/onnx/model_int8.onnx', 'tiny-llama/onnx/model_q4.onnx', 'tiny-llama/tokenizer.json', 'tiny-llama/config.json']));
      expect(fileHashes(b)).toEqual(ha);
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });

  it('pass the KV-cache, padding, greedy and tokenizer checks in onnxruntime-web (verify.ts)', () => {
    // verify.ts exits non-zero and prints FAIL lines on any failed check.
    const out = execFileSync('npx', ['tsx', 'test/fixtures/verify.ts'], { encoding: 'utf8', timeout: 120_000 });
    expect(out).not.toMatch(/\bFAIL\b/);
    expect(out.match(/\bPASS\b/g)?.length ?? 0).toBeGreaterThan(10);
  }, 150_000);
});
