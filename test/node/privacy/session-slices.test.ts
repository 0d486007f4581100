import { describe, expect, it } from 'vitest';
import { localFinder } from '../../../src/privacy/finder.js';
import { openSession } from '../../../src/privacy/session.js';
import { mixedPaste } from '../../corpus/pastes.js';

describe('the page-side step in slices', () => {
  it('gives the same texts and numbering as the one-go step, and yields when a slice is spent', async () => {
    const texts = [mixedPaste(200_000), 'and again: +44 20 7946 0000 and user3@example.com'];
    const found = await localFinder({})(texts);
    const whole = openSession({}).redactTexts(texts, found);
    const session = openSession({});
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    // A 0 ms slice: the step must hand the thread back after every check of the clock.
    const sliced = await session.redactTextsSliced(texts, found, 0);
    clearInterval(counter);
    expect(sliced.texts).toEqual(whole);
    expect(turns).toBeGreaterThan(0);
    expect(sliced.longestSliceMs).toBeGreaterThan(0);
  });

  it('stops between slices when the signal fires, with a typed aborted error', async () => {
    const texts = [mixedPaste(200_000)];
    const found = await localFinder({})(texts);
    const controller = new AbortController();
    const run = openSession({}).redactTextsSliced(texts, found, 0, controller.signal);
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
  });
});
