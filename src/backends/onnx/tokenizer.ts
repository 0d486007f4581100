/**
 * Text ⇄ ids for one model: `@huggingface/tokenizers` for the vocabulary and
 * `@huggingface/jinja` for the model's chat template. Both are pure JS and small, so
 * they are imported statically by the worker.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';
import { EdgewiseError } from '../../errors.js';
import type { ChatMessage, ToolDefinition } from '../../types.js';
import { FALLBACK_CHAT_TEMPLATE } from './fallback-template.js';
import { templateInput } from './tools-prompt.js';

type Json = Record<string, unknown>;


function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as Json)['content'] === 'string') return (v as Json)['content'] as string;
  return undefined;
}

function pickTemplate(t: unknown): string | undefined {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t as { name?: string; template?: string }[];
    return (named.find((x) => x.name === 'default') ?? named[0])?.template;
  }
  return undefined;
}

export class ModelTokenizer {
  private readonly tok: Tokenizer;
  private readonly template: Template;
  readonly hasChatTemplate: boolean;
  /** The template reads `tools` (Hugging Face's tool-use convention): tools go to it as they are. */
  readonly templateKnowsTools: boolean;
  private readonly specials: Record<string, string>;

  constructor(readonly tokenizerJson: Json, readonly config: Json, private readonly bosId: number | undefined) {
    try {
      this.tok = new Tokenizer(tokenizerJson, config);
    } catch (cause) {
      throw new EdgewiseError('unsupported_model', 'tokenizer.json could not be read by @huggingface/tokenizers; check the file is a Hugging Face tokenizer.', { cause });
    }
    const src = pickTemplate(config['chat_template']);
    this.hasChatTemplate = src !== undefined;
    this.templateKnowsTools = src !== undefined && /\btools\b/.test(src);
    try {
      this.template = new Template(src ?? FALLBACK_CHAT_TEMPLATE);
    } catch (cause) {
      throw new EdgewiseError('unsupported_model', "The model's chat_template could not be parsed; pass `prompt` instead of `messages`.", { cause });
    }
    this.specials = {};
    for (const k of ['bos_token', 'eos_token', 'unk_token', 'pad_token']) {
      const s = tokenString(config[k]);
      if (s !== undefined) this.specials[k] = s;
    }
  }

  /** Raw completion text; BOS as the tokenizer's own post-processor says. Empty → just BOS. */
  encodePrompt(prompt: string): number[] {
    if (prompt === '') {
      if (this.bosId === undefined) throw new EdgewiseError('invalid_request', 'This model has no BOS token, so an empty prompt has nothing to start from; pass some text.');
      return [this.bosId];
    }
    return this.tok.encode(prompt).ids;
  }

  /** Renders the chat template (with the generation prompt, and the tools if any) and encodes it as-is. */
  encodeChat(messages: readonly ChatMessage[], tools?: readonly ToolDefinition[]): number[] {
    let text: string;
    try {
      const input = templateInput(messages, tools, this.templateKnowsTools);
      text = this.template.render({ ...input, add_generation_prompt: true, ...this.specials });
    } catch (cause) {
      throw new EdgewiseError('invalid_message', `The chat template rejected these messages: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    // The template already wrote any BOS it wants; adding specials again would double it.
    return this.tok.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[]): string {
    return this.tok.decode(ids as number[], { skip_special_tokens: true });
  }
}
