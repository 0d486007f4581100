/**
 * An app's own backend (`{ engine: 'custom', backend }`), checked once at `createEngine`
 * so a backend written against another contract version, or missing a member, fails
 * there with a message that names what is missing, not at the first request.
 */
import type { CustomModelSpec } from '../../config-types.js';
import { EdgewiseError } from '../../errors.js';
import { BACKEND_SPECIFICATION, type BackendV3 } from '../backend.js';
import type { ModelRole, PageKind } from '../kind.js';

const MEMBERS = ['supports', 'load', 'unload'] as const;

function check(b: unknown, role: ModelRole): BackendV3 {
  const o = (b ?? {}) as Partial<Record<keyof BackendV3, unknown>>;
  const caps = o.capabilities as Partial<BackendV3['capabilities']> | undefined;
  const job = role === 'embed' ? 'embed' : 'generate';
  const missing = o.specificationVersion !== BACKEND_SPECIFICATION ? `specificationVersion '${BACKEND_SPECIFICATION}' (it says ${JSON.stringify(o.specificationVersion)})`
    : typeof o.kind !== 'string' || (o.location !== 'local' && o.location !== 'remote') ? "a `kind` name and a `location` ('local' or 'remote')"
    : !caps || !Array.isArray(caps.sampling) || !Array.isArray(caps.responseFormats) || typeof caps.tools !== 'boolean' ? '`capabilities` ({ sampling, responseFormats, tools })'
    : typeof o.state !== 'object' || o.state === null ? '`state` ({ ranOn, loaded })'
    : [...MEMBERS, job].find((m) => typeof o[m as keyof BackendV3] !== 'function');
  if (missing) throw new EdgewiseError('invalid_model_spec', `The custom ${role === 'embed' ? 'embedding' : 'generation'} backend lacks ${missing.includes(' ') ? missing : `${missing}()`}. See docs/backend-contract.md for the BackendV3 contract.`);
  return b as BackendV3;
}

export const customPageKind: PageKind<CustomModelSpec> = {
  runs: 'page',
  create: (spec, role) => check(spec.backend, role),
};
