// The two faces as an app meets them: the AI SDK's own `streamText` on an edgewise model,
// and the Prompt API's `LanguageModel` on the same engine. Same query parameters as main.js.
import { streamText } from 'ai';
import { createEngine, isEdgewiseError } from 'edgewise';
import { createEdgewise } from 'edgewise/ai-sdk';
import { createLanguageModel } from 'edgewise/prompt-api';

const params = new URLSearchParams(location.search);
const url = params.get('model') ?? '/models/stories260K-onnx/';
const dtype = params.get('dtype') ?? 'q4';
const device = params.get('device') ?? 'auto';
const out = document.getElementById('out');
const where = document.getElementById('where');

const engine = createEngine({ model: { id: 'npm-import-faces', url, dtype }, device });
try {
  const result = streamText({ model: createEdgewise({ engine }).languageModel(), prompt: 'Once upon a time', maxOutputTokens: 48 });
  for await (const text of result.textStream) out.textContent += text;
  const { edgewise } = (await result.providerMetadata) ?? {};
  where.textContent = `AI SDK: ran on ${edgewise?.ranOn} (${edgewise?.route?.reason}).`;

  const LanguageModel = createLanguageModel(engine);
  const session = await LanguageModel.create();
  document.getElementById('session').textContent = await session.prompt('Tell me about a cat.');
  document.body.dataset.done = String(edgewise?.ranOn);
} catch (e) {
  where.textContent = isEdgewiseError(e) ? `${e.code}: ${e.message}` : `${e?.name}: ${e?.message ?? e}`;
  document.body.dataset.error = isEdgewiseError(e) ? e.code : 'error';
}
