/**
 * `edgewise/prompt-api`: the Prompt API's `LanguageModel` (webmachinelearning/prompt-api)
 * over an edgewise engine. Every export of the face is named here.
 */
export { createLanguageModel } from './bind.js';
export type { LanguageModelClass } from './bind.js';
export { LanguageModel, configureLanguageModel, install } from './default.js';
export { LanguageModelSession } from './session.js';
export type {
  Availability, CreateMonitor, LanguageModelAppendOptions, LanguageModelCloneOptions, LanguageModelCreateCoreOptions, LanguageModelCreateOptions,
  LanguageModelExpected, LanguageModelFaceOptions, LanguageModelMessage, LanguageModelMessageContent, LanguageModelMessageRole, LanguageModelMessageType,
  LanguageModelParams, LanguageModelPrompt, LanguageModelPromptOptions, LanguageModelResponseConstraint, LanguageModelSamplingMode, LanguageModelTool,
} from './types.js';
