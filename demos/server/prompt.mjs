// Chat messages to the text a model reads. A model with a chat template gets its template
// (with the opening of the assistant's turn). A base model without one, such as
// stories260K, continues text: it gets the messages' contents in order, separated by blank
// lines, with no role names, which it would only read as more story. So one user message
// "Once upon a time" is exactly the prompt "Once upon a time".
import { textOf } from './openai-wire.mjs';

/**
 * @param {{ chat_template?: unknown, apply_chat_template: Function }} tokenizer
 * @param {{ role: string, content: unknown }[]} messages
 * @returns {{ text: string, template: boolean }}
 */
export function renderPrompt(tokenizer, messages) {
  const plain = messages.map((m) => ({ role: m.role, content: textOf(m.content) }));
  if (tokenizer.chat_template) {
    return { text: tokenizer.apply_chat_template(plain, { tokenize: false, add_generation_prompt: true }), template: true };
  }
  return { text: plain.map((m) => m.content).filter((c) => c !== '').join('\n\n'), template: false };
}
