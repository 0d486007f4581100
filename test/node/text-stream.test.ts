import { describe, expect, it } from 'vitest';
import { IncrementalDecoder, StopMatcher } from '../../src/backends/onnx/text-stream.js';

// A SentencePiece-like toy: '▁' marks a space, the decoder strips one leading space,
// and ids 10/11 are the two halves of a two-byte character.
const VOCAB: Record<number, string> = { 1: '▁Once', 2: '▁upon', 3: ',', 4: '▁a', 10: '<0xC3>', 11: '<0xA9>' };
function decode(ids: readonly number[]): string {
  const bytes: number[] = [];
  let s = '';
  for (const id of ids) {
    const t = VOCAB[id] ?? '';
    const m = /^<0x([0-9A-F]{2})>$/.exec(t);
    if (m) bytes.push(parseInt(m[1]!, 16));
    else {
      s += new TextDecoder().decode(new Uint8Array(bytes)) + t.replaceAll('▁', ' ');
      bytes.length = 0;
    }
  }
  s += new TextDecoder().decode(new Uint8Array(bytes));
  return s.startsWith(' ') ? s.slice(1) : s;
}

describe('IncrementalDecoder', () => {
  it('keeps the space that decoding a token alone would strip', () => {
    const d = new IncrementalDecoder(decode, [1]);
    expect(d.push(2)).toBe(' upon');
    expect(d.push(3)).toBe(',');
    expect(d.push(4)).toBe(' a');
  });

  it('holds an incomplete multi-byte character until it completes', () => {
    const d = new IncrementalDecoder(decode, [1]);
    expect(d.push(10)).toBe('');
    expect(d.push(11)).toBe('é');
  });

  it('with no context, the first token has no leading space', () => {
    const d = new IncrementalDecoder(decode);
    expect(d.push(1)).toBe('Once');
    expect(d.push(2)).toBe(' upon');
  });
});

describe('StopMatcher', () => {
  it('cuts at the stop string even when it arrives split across pushes', () => {
    const m = new StopMatcher(['END']);
    expect(m.push('abc E')).toEqual({ emit: 'abc ', stopped: false });
    expect(m.push('N')).toEqual({ emit: '', stopped: false });
    expect(m.push('D more')).toEqual({ emit: '', stopped: true });
  });

  it('releases held text that turned out not to be a stop', () => {
    const m = new StopMatcher(['END']);
    expect(m.push('xE')).toEqual({ emit: 'x', stopped: false });
    expect(m.push('Ny')).toEqual({ emit: 'ENy', stopped: false });
    expect(m.flush()).toBe('');
  });

  it('picks the earliest of several stop strings', () => {
    const m = new StopMatcher(['zz', 'b']);
    expect(m.push('aabzz')).toEqual({ emit: 'aa', stopped: true });
  });

  it('without stop strings passes text straight through', () => {
    expect(new StopMatcher([]).push('hello')).toEqual({ emit: 'hello', stopped: false });
  });
});
