// The CSP demo's only script (the policy forbids inline ones): load stories260K q4 on
// WASM without the IndexedDB cache, generate, and leave the outcome on <body> for tests:
// data-done="ok", or data-error=<the EdgewiseError code>.
import { createEngine, isEdgewiseError } from '/dist/edgewise.js';

const out = document.getElementById('out');
const status = document.getElementById('status');
const prompt = 'Once upon a time';

const engine = createEngine({ model: { id: 'stories260K', url: '/models/stories260K-onnx/', dtype: 'q4' }, device: 'wasm', cache: false });
try {
  out.textContent = prompt;
  for await (const part of engine.generate({ prompt, maxTokens: 64 })) {
    if (part.type === 'text') out.textContent += part.text;
    else if (part.type === 'finish') status.textContent = `Done: ${part.usage.completionTokens} tokens on ${part.ranOn}, ${part.usage.tokensPerSecond.toFixed(1)} tokens/s.`;
  }
  document.body.dataset.done = 'ok';
} catch (e) {
  const code = isEdgewiseError(e) ? e.code : 'unknown';
  status.textContent = `Failed (${code}): ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.error = code;
} finally {
  await engine.dispose();
}
