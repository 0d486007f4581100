/**
 * Settings a request sets that the backend about to run it does not honour, as
 * warnings: never silently dropped (the AI SDK's `unsupported-setting` warnings, same idea).
 */
import type { BackendV3 } from '../backends/backend.js';
import type { SamplingSetting, Warning } from '../types.js';

export function settingWarnings(explicit: readonly SamplingSetting[], backend: BackendV3): Warning[] {
  return explicit
    .filter((s) => !backend.capabilities.sampling.includes(s))
    .map((setting) => ({ code: 'unsupported_setting', setting, message: `The ${backend.kind} backend that ran this request ignores ${setting}.` }));
}
