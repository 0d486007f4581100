/** The `<script>` drop-in: the IIFE build defines `window.Edgewise` and finds its worker beside itself. */
import { FIXTURE_URL, assert } from './helpers.js';

interface Global { Edgewise?: typeof import('/dist/edgewise.js') }

describe('script tag build', () => {
  it('defines the Edgewise global and generates with the fixture', async () => {
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/dist/edgewise.iife.js';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('edgewise.iife.js did not load'));
      document.head.append(s);
    });
    const Edgewise = (globalThis as Global).Edgewise;
    assert(Edgewise && typeof Edgewise.createEngine === 'function', 'window.Edgewise.createEngine');
    const engine = Edgewise.createEngine({ model: { id: 'tiny-llama', url: FIXTURE_URL, dtype: 'q4' }, cache: false });
    try {
      const text = await engine.text({ prompt: 'Hello', maxTokens: 4 });
      assert(text.length > 0, 'generated text through the IIFE build');
    } finally {
      await engine.dispose();
    }
  });
});
