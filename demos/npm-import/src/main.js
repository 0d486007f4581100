// Streams a completion from stories260K (q4). `?model=<folder URL>` points at another model
// folder in the same layout, `?dtype=` picks another weight file, `?device=` wasm or webgpu.
import { createEngine, isEdgewiseError } from 'edgewise';

const params = new URLSearchParams(location.search);
const url = params.get('model') ?? '/models/stories260K-onnx/';
const dtype = params.get('dtype') ?? 'q4';
const device = params.get('device') ?? 'auto';
const prompt = 'Once upon a time';
const out = document.getElementById('out');
const where = document.getElementById('where');

const engine = createEngine({ model: { id: 'npm-import-demo', url, dtype }, device });
out.textContent = prompt;
try {
  for await (const part of engine.generate({ prompt, maxTokens: 96 })) {
    if (part.type === 'text') out.textContent += part.text;
    if (part.type === 'finish') {
      where.textContent = `Ran on ${part.ranOn} (${part.usage.completionTokens} tokens, ${part.usage.tokensPerSecond.toFixed(0)} tokens/s).`;
      document.body.dataset.done = part.ranOn;
    }
  }
} catch (e) {
  where.textContent = isEdgewiseError(e) ? `${e.code}: ${e.message}` : String(e);
  document.body.dataset.error = isEdgewiseError(e) ? e.code : 'error';
}
