import { describe, expect, it } from 'vitest';
import { Sampler, applyRepetitionPenalty, argmax, createRng } from '../../src/backends/onnx/sampling.js';

const base = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 7 };

describe('sampling', () => {
  it('greedy picks the largest logit, first on ties', () => {
    expect(argmax([0.1, 3, -2, 3])).toBe(1);
    expect(new Sampler(base).next(Float32Array.from([1, 5, 2]), [])).toBe(1);
  });

  it('the seeded generator repeats for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(sa);
    expect([c(), c(), c()]).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('repetition penalty divides positive and multiplies negative logits of seen tokens', () => {
    const l = Float32Array.from([2, -2, 2]);
    applyRepetitionPenalty(l, [0, 1], 2);
    expect(Array.from(l)).toEqual([1, -4, 2]);
  });

  it('top-k 1 is greedy whatever the temperature', () => {
    const s = new Sampler({ ...base, temperature: 5, topK: 1 });
    for (let i = 0; i < 20; i++) expect(s.next(Float32Array.from([0, 1, 0.5, 0.9]), [])).toBe(1);
  });

  it('top-p keeps only the nucleus', () => {
    // Token 0 holds ~0.88 of the mass: with topP 0.5 nothing else can be drawn.
    const s = new Sampler({ ...base, temperature: 1, topP: 0.5 });
    for (let i = 0; i < 50; i++) expect(s.next(Float32Array.from([4, 2, 1, 0]), [])).toBe(0);
  });

  it('temperature sampling follows the softmax distribution', () => {
    const s = new Sampler({ ...base, temperature: 1, seed: 123 });
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++) counts[s.next(Float32Array.from([Math.log(3), 0]), [])]! += 1;
    // p(0) = 0.75; 4000 draws put the share within ±0.03 with overwhelming probability.
    expect(counts[0]! / 4000).toBeGreaterThan(0.72);
    expect(counts[0]! / 4000).toBeLessThan(0.78);
  });
});
