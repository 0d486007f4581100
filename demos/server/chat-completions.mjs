// POST /v1/chat/completions against a loaded model: one request at a time on the model
// (a queue), streamed or not, cancelled when the client goes away, in OpenAI's shapes.
import { checkChat, openStream, sendCompletion, sendError, stopsOf } from './openai-wire.mjs';

/** A FIFO of jobs on one model: a job starts when the one before it has ended, however it ended. */
export function createQueue() {
  let tail = Promise.resolve();
  let waiting = 0;
  return {
    get length() { return waiting; },
    /** @template T @param {() => Promise<T>} job @returns {Promise<T>} */
    run(job) {
      waiting++;
      const result = tail.then(job).finally(() => { waiting--; });
      tail = result.catch(() => {});
      return result;
    },
  };
}

let sequence = 0;

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {object} body the parsed request
 * @param {{ model: Awaited<ReturnType<typeof import('./local-model.mjs').loadModel>>, queue: ReturnType<typeof createQueue>,
 *   onEnd?: (e: { id: string, finishReason: string, promptTokens: number, completionTokens: number, ms: number, truncated: boolean }) => void }} ctx
 */
export async function handleChat(req, res, body, { model, queue, onEnd }) {
  const problem = checkChat(body);
  if (problem) return sendError(res, 400, problem);
  // The client going away (a closed tab, the SDK's abort) stops the generation or skips the
  // queued job, so the next request does not wait for an answer nobody reads.
  const gone = new AbortController();
  res.on('close', () => { if (!res.writableFinished) gone.abort(); });
  const meta = { id: `chatcmpl-edgewise-${++sequence}`, created: Math.floor(Date.now() / 1000), model: model.id };
  const stream = body.stream === true;

  await queue.run(async () => {
    if (gone.signal.aborted) return;
    const started = Date.now();
    const sse = stream ? openStream(res, meta, body.stream_options?.include_usage === true) : undefined;
    let out;
    try {
      out = await model.generate({
        messages: body.messages,
        maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
        temperature: body.temperature ?? undefined,
        topP: body.top_p ?? undefined,
        stop: stopsOf(body.stop),
        signal: gone.signal,
        onText: sse ? (text) => sse.text(text) : undefined,
      });
    } catch (e) {
      const message = `The model ${model.id} failed: ${e?.message ?? e}`;
      if (!sse) return sendError(res, 500, message, 'server_error');
      // Headers are gone: end the stream without [DONE], which clients read as a broken stream.
      res.destroy(new Error(message));
      return;
    }
    onEnd?.({ id: meta.id, finishReason: out.finishReason, promptTokens: out.promptTokens, completionTokens: out.completionTokens, ms: Date.now() - started, truncated: out.truncated });
    if (out.finishReason === 'abort') return;
    const usage = { prompt_tokens: out.promptTokens, completion_tokens: out.completionTokens, total_tokens: out.promptTokens + out.completionTokens };
    if (sse) sse.finish(out.finishReason, usage);
    else sendCompletion(res, meta, out.text, out.finishReason, usage);
  });
}
