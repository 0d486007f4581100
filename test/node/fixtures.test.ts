import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFixtures } from '../fixtures/generate.js';

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.startsWith('.fixture-stamp')) out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('generated test models', () => {
  it('are byte-identical across two fresh generations (deterministic)', () => {
    const a = mkdtempSync(join(tmpdir(), 'ew-fix-a-'));
    const b = mkdtempSync(join(tmpdir(), 'ew-fix-b-'));
    try {
      generateFixtures({ outDir: a, log: () => undefined });
      generateFixtures({ outDir: b, log: () => undefined });
      const ha = hashes(a);
      expect(Object.keys(ha)).toEqual(expect.arrayContaining(['tiny-llama/onnx/model.onnx', 'tiny-llama/onnx/model_int8.onnx', 'tiny-llama/onnx/model_q4.onnx', 'tiny-llama/tokenizer.json', 'tiny-llama/config.json']));
      expect(hashes(b)).toEqual(ha);
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
