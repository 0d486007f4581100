/**
 * What the remote backend says about an endpoint must not carry its credentials: error
 * messages, `details`, warnings and support answers travel into logs, `route.failover`
 * and bug reports. A query string often holds a key (`?key=…`, `?code=…` for Azure
 * Functions), and a server's error body may echo the request URL or its headers, so
 * every URL and every piece of server text goes through here first (issue 16).
 */

const MASK = '***';
/** Shorter configured values are not credentials, and masking them would garble the text ("docs"). */
const MIN_SECRET_CHARS = 8;
/** A URL in free text; trailing sentence punctuation is put back, not masked. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const TRAILING_PUNCTUATION = /[.,:;!?)\]}]+$/;
/** Header-like `name: value` or `"name":"value"` pairs whose value is a credential. */
const CREDENTIAL_FIELD = /\b((?:proxy-)?authorization|x-api-key|api-key|api_key|apikey|access_token|x-goog-api-key)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}&]+/gi;
/** A token has a digit or punctuation; a plain word after "Basic" ("authentication") is left alone. */
const SCHEME_TOKEN = /\b(bearer|basic)\s+(?=[a-z]*[0-9._~+/=-])[a-z0-9._~+/=-]{8,}/gi;

/** `a=1&b&c=` → `a=***&***&c=***`: names stay (they help), values go; a bare name may itself be a key. */
function maskQuery(query: string): string {
  return query.split('&').map((pair) => {
    if (pair === '') return pair;
    const eq = pair.indexOf('=');
    return eq < 0 ? MASK : `${pair.slice(0, eq)}=${MASK}`;
  }).join('&');
}

/**
 * The URL with its user info, query values and fragment masked; scheme, host and path kept.
 * @example maskUrl('https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21')
 * // 'https://x.openai.azure.com/openai/deployments/d?api-version=***'
 */
export function maskUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutHash = hash < 0 ? url : url.slice(0, hash);
  const q = withoutHash.indexOf('?');
  let head = q < 0 ? withoutHash : withoutHash.slice(0, q);
  // `scheme://user:pass@host`: the user name alone may be a key (`https://sk-…@host`).
  head = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${MASK}@`);
  const query = q < 0 ? '' : `?${maskQuery(withoutHash.slice(q + 1))}`;
  return `${head}${query}${hash < 0 ? '' : `#${MASK}`}`;
}

/**
 * Free text (a message, a server's error body) with every URL masked by {@link maskUrl},
 * credential headers and bearer tokens masked, and each of `secrets` (the values this
 * request sent in its headers) masked wherever it appears.
 */
export function maskText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_CHARS) out = out.split(secret).join(MASK);
  }
  out = out.replace(URL_IN_TEXT, (found) => {
    const tail = TRAILING_PUNCTUATION.exec(found)?.[0] ?? '';
    return maskUrl(found.slice(0, found.length - tail.length)) + tail;
  });
  return out.replace(CREDENTIAL_FIELD, `$1$2${MASK}`).replace(SCHEME_TOKEN, `$1 ${MASK}`);
}

/** `value` with {@link maskText} applied to every string in it (details, a parsed error body). */
export function maskDeep(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, secrets);
    return out;
  }
  return value;
}
