/**
 * Used when `tokenizer_config.json` has no `chat_template` (base models such as
 * stories260K): one `role: content` line per message, then `assistant:`.
 * Its own file so the public door can export it without pulling the tokenizer in.
 */
export const FALLBACK_CHAT_TEMPLATE =
  "{% for m in messages %}{{ m['role'] + ': ' + m['content'] + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ 'assistant:' }}{% endif %}";
