// One text-generation model run by transformers.js on onnxruntime-node, for the demo
// server's /v1: load it (from a folder or the hub), turn chat messages into a prompt, and
// generate with streamed text, stop strings and an AbortSignal. The runtime is imported in
// load(), so a server that never loads a model never pays for it.
import { renderPrompt } from './prompt.mjs';

/** The least of a prompt kept when the answer's max_tokens takes the rest of the context. */
const MIN_PROMPT_TOKENS = 16;
const DEFAULT_MAX_TOKENS = 256;

/**
 * @param {import('./model-choice.mjs').ModelChoice} choice
 * @param {{ onProgress?: (p: { file: string, loaded: number, total: number }) => void }} [options]
 */
export async function loadModel(choice, { onProgress } = {}) {
  const { AutoModelForCausalLM, AutoTokenizer, InterruptableStoppingCriteria, Tensor } = await import('@huggingface/transformers');
  const where = choice.source === 'dir' ? choice.dir : choice.repo;
  // A folder path is not a hub id, so transformers.js reads it as it is; local_files_only
  // keeps it from ever asking the hub for a file the folder lacks.
  const common = choice.source === 'dir'
    ? { local_files_only: true }
    : { cache_dir: choice.cacheDir, progress_callback: (p) => { if (p.status === 'progress' && p.total) onProgress?.({ file: p.file, loaded: p.loaded, total: p.total }); } };
  const tokenizer = await AutoTokenizer.from_pretrained(where, common);
  const model = await AutoModelForCausalLM.from_pretrained(where, { ...common, dtype: choice.dtype, device: 'cpu' });
  const contextLength = model.config.max_position_embeddings ?? tokenizer.model_max_length ?? 2048;
  const eos = new Set([model.generation_config?.eos_token_id ?? model.config.eos_token_id].flat().filter((id) => id != null).map(Number));

  /**
   * @param {{ messages: { role: string, content: unknown }[], maxTokens?: number, temperature?: number, topP?: number,
   *   stop?: string[], signal?: AbortSignal, onText?: (text: string) => void }} request
   * @returns {Promise<{ text: string, promptTokens: number, completionTokens: number, finishReason: 'stop' | 'length' | 'abort', truncated: boolean }>}
   */
  async function generate({ messages, maxTokens, temperature, topP, stop = [], signal, onText }) {
    const { text: promptText, template } = renderPrompt(tokenizer, messages);
    // A chat template writes its own special tokens; plain text gets the tokenizer's (BOS).
    let ids = tokenizer.encode(promptText, { add_special_tokens: !template });
    const budget = Math.min(maxTokens ?? DEFAULT_MAX_TOKENS, contextLength - MIN_PROMPT_TOKENS);
    // Prompt and answer over the context: the prompt keeps its first token (BOS or the
    // template's opening) and its last ones, as llama.cpp's server keeps n_keep and the end.
    const room = contextLength - budget;
    const truncated = ids.length > room;
    if (truncated) ids = [ids[0], ...ids.slice(ids.length - room + 1)];

    const interrupt = new InterruptableStoppingCriteria();
    const generated = [];
    // Decoding the answer after the prompt's last token keeps the space a SentencePiece
    // tokenizer would drop from an answer's first word decoded alone.
    const anchor = ids.slice(-1);
    const anchorText = tokenizer.decode(anchor, { skip_special_tokens: true });
    const holdBack = Math.max(0, ...stop.map((s) => s.length - 1));
    let sent = 0;
    let text = '';
    let stoppedByString = false;
    let lastToken;
    let prompted = false;
    const streamer = {
      put(value) {
        if (!prompted) { prompted = true; return; }
        lastToken = Number(value[0][0]);
        if (eos.has(lastToken)) return;
        generated.push(lastToken);
        text = tokenizer.decode([...anchor, ...generated], { skip_special_tokens: true }).slice(anchorText.length);
        const at = Math.min(...stop.map((s) => text.indexOf(s)).filter((i) => i >= 0));
        if (Number.isFinite(at)) { text = text.slice(0, at); stoppedByString = true; interrupt.interrupt(); }
        // Hold back a possible start of a stop string and a half-decoded character (U+FFFD).
        let end = stoppedByString ? text.length : text.length - holdBack;
        while (end > sent && text.charCodeAt(end - 1) === 0xfffd) end--;
        if (end > sent) { onText?.(text.slice(sent, end)); sent = end; }
      },
      end() {
        const rest = text.replace(/\uFFFD+$/, '');
        if (rest.length > sent) { onText?.(rest.slice(sent)); sent = rest.length; }
      },
    };
    const onAbort = () => interrupt.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) return { text: '', promptTokens: ids.length, completionTokens: 0, finishReason: 'abort', truncated };
      const long = (array) => new Tensor('int64', BigInt64Array.from(array, BigInt), [1, array.length]);
      await model.generate({
        input_ids: long(ids),
        attention_mask: long(ids.map(() => 1)),
        max_new_tokens: budget,
        // OpenAI's temperature 0 is greedy; no temperature: the model's generation_config decides (as vLLM does).
        ...(temperature === undefined ? {} : temperature === 0 ? { do_sample: false } : { do_sample: true, temperature, top_p: topP ?? 1 }),
        stopping_criteria: interrupt,
        streamer,
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const finishReason = signal?.aborted ? 'abort' : stoppedByString || eos.has(lastToken) ? 'stop' : generated.length >= budget ? 'length' : 'stop';
    return { text: text.slice(0, sent), promptTokens: ids.length, completionTokens: generated.length, finishReason, truncated };
  }

  return { id: choice.id, contextLength, hasChatTemplate: Boolean(tokenizer.chat_template), generate, dispose: () => model.dispose() };
}
