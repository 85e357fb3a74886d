import { EMBED_LOGIN_PATH, REASONS } from '@n8n-embed/protocol';
import { type Check, check, shown } from './check.js';
import { errorMessageOf, ProbeFailure, type Prober } from './http-probe.js';

/** Who answers `/rest/auth/embed`: our endpoint, n8n's licensed module, nobody, or something else. */
export type EndpointServer = 'n8n-embed' | 'n8n-module' | 'unknown' | 'none';

const TOKEN_REQUIRED = 'token is required';

/** The lines that add the endpoint to a free n8n (the verifier README's "Embed login on your own n8n"). */
export function adapterFix(portalOrigin: string | undefined): string {
  return [
    'npm install --prefix /opt/n8n-embed @n8n-embed/verifier, then start n8n with',
    'EXTERNAL_HOOK_FILES=/opt/n8n-embed/node_modules/@n8n-embed/verifier/dist/n8n.js',
    'N8N_EMBED_LOGIN_ENABLED=true N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE=/etc/n8n/trusted-keys.json',
    `N8N_EMBED_PORTAL_ORIGINS=${portalOrigin ?? 'https://portal.example.com'}`,
  ].join(' ');
}

function describe(status: number, headers: Headers, message: string | undefined): string {
  const type = headers.get('content-type')?.split(';')[0];
  const server = headers.get('server');
  return [
    `${status}`,
    message !== undefined ? `"${shown(message)}"` : type ? shown(type, 60) : 'no body',
    server ? `(Server: ${shown(server, 60)})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Two requests that cannot log anybody in: a POST without a token (every implementation answers 400
 * `token is required`), then a GET marked as an image load (`Sec-Fetch-Dest: image`), which our
 * endpoint refuses as login CSRF before reading the token (403) while n8n's module does not look.
 */
export async function endpointCheck(
  prober: Prober,
  context: { readonly version: string | undefined; readonly portalOrigin: string | undefined },
): Promise<{ check: Check; server: EndpointServer }> {
  let post: Awaited<ReturnType<Prober['request']>>;
  try {
    post = await prober.request(EMBED_LOGIN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
  } catch (error) {
    if (!(error instanceof ProbeFailure)) throw error;
    return { check: check('endpoint', 'fail', `POST ${EMBED_LOGIN_PATH}: ${error.message}`), server: 'none' };
  }
  const message = errorMessageOf(post);
  const on = context.version ? `n8n ${context.version}` : 'this n8n';
  if (post.status === 404)
    return {
      check: check(
        'endpoint',
        'fail',
        `${EMBED_LOGIN_PATH} answers 404: ${on} has neither n8n's licensed token-exchange module nor the n8n-embed hooks adapter`,
        adapterFix(context.portalOrigin),
      ),
      server: 'none',
    };
  if (post.status === 501)
    return {
      check: check(
        'endpoint',
        'fail',
        `${EMBED_LOGIN_PATH} answers 501: n8n's module is there but embed login is off`,
        'set N8N_EMBED_LOGIN_ENABLED=true on n8n',
      ),
      server: 'n8n-module',
    };
  if (post.status === 405)
    return {
      check: check(
        'endpoint',
        'fail',
        `POST ${EMBED_LOGIN_PATH} answers 405${post.headers.get('allow') ? ` (Allow: ${shown(post.headers.get('allow'), 40)})` : ''}: something in front of n8n refuses the login form`,
        'let POST /rest/auth/embed through the proxy or firewall to n8n (the SDK delivers the token by POST)',
      ),
      server: 'unknown',
    };
  if (post.status === REASONS.rate_limited.status)
    return {
      check: check(
        'endpoint',
        'warn',
        `${EMBED_LOGIN_PATH} answers 429: this address used its logins for this minute; run the doctor again in a minute`,
      ),
      server: 'unknown',
    };
  if (post.status !== 400 || message !== TOKEN_REQUIRED) {
    const location = post.headers.get('location');
    const what = location ? `a redirect to ${shown(location)}` : describe(post.status, post.headers, message);
    return {
      check: check(
        'endpoint',
        'fail',
        `POST ${EMBED_LOGIN_PATH} without a token answers ${what}, not n8n's 400 "${TOKEN_REQUIRED}": something else answers there`,
        'route /rest/auth/embed to n8n unchanged (no login wall, no rewrite) in the proxy in front of it',
      ),
      server: 'unknown',
    };
  }
  let server: EndpointServer = 'unknown';
  try {
    const image = await prober.request(EMBED_LOGIN_PATH, { headers: { 'sec-fetch-dest': 'image' } });
    const imageMessage = errorMessageOf(image);
    if (image.status === REASONS.origin_rejected.status && imageMessage === REASONS.origin_rejected.message)
      server = 'n8n-embed';
    else if (image.status === 400 && imageMessage === TOKEN_REQUIRED) server = 'n8n-module';
  } catch (error) {
    if (!(error instanceof ProbeFailure)) throw error;
  }
  const by =
    server === 'n8n-embed'
      ? context.version
        ? `the n8n-embed hooks adapter on n8n ${context.version}`
        : "n8n-embed's endpoint (n8n-embed dev, or the adapter on an n8n that does not tell its version)"
      : server === 'n8n-module'
        ? `n8n's own token-exchange module${context.version ? ` (n8n ${context.version})` : ''}`
        : 'an endpoint that answers like n8n';
  return { check: check('endpoint', 'pass', `${EMBED_LOGIN_PATH} is served by ${by}`), server };
}
