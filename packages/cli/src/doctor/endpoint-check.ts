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

// No portal is at this origin: a form posted from it is another site's.
const FOREIGN_ORIGIN = 'https://doctor-probe.n8n-embed.invalid';

function csrfCheck(server: EndpointServer, refused: boolean, portalOrigin: string | undefined): Check {
  if (refused)
    return check(
      'login-csrf',
      'pass',
      'a login form posted from another site is refused (403) before its token is read',
    );
  return server === 'n8n-module'
    ? check(
        'login-csrf',
        'warn',
        "n8n's own module does not look where a login comes from: any site can sign a visitor in with a token of its choosing (login CSRF)",
        `serve the endpoint with the n8n-embed adapter and N8N_EMBED_PORTAL_ORIGINS=${portalOrigin ?? '<portal origin>'}`,
      )
    : check(
        'login-csrf',
        'warn',
        'a login form posted from another site reaches the token check: any site can sign a visitor in with a token of its choosing (login CSRF)',
        `set N8N_EMBED_PORTAL_ORIGINS=${portalOrigin ?? '<portal origin>'} on n8n (n8n-embed dev: --portal-origin)`,
      );
}

/**
 * At most two requests that cannot log anybody in. A POST without a token from a foreign `Origin`:
 * our endpoint with portal origins refuses it as login CSRF (403) before reading the token; anything
 * else that serves the endpoint answers 400 `token is required`. Then, for a 400, a GET marked as an
 * image load (`Sec-Fetch-Dest: image`), which our endpoint refuses in every profile (403) while
 * n8n's module does not look: that tells who serves it.
 */
export async function endpointCheck(
  prober: Prober,
  context: { readonly version: string | undefined; readonly portalOrigin: string | undefined },
): Promise<{ checks: Check[]; server: EndpointServer }> {
  let post: Awaited<ReturnType<Prober['request']>>;
  try {
    post = await prober.request(EMBED_LOGIN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: FOREIGN_ORIGIN },
      body: '',
    });
  } catch (error) {
    if (!(error instanceof ProbeFailure)) throw error;
    return {
      checks: [check('endpoint', 'fail', `POST ${EMBED_LOGIN_PATH}: ${error.message}`)],
      server: 'none',
    };
  }
  const message = errorMessageOf(post);
  const on = context.version ? `n8n ${context.version}` : 'this n8n';
  if (post.status === 404)
    return {
      checks: [
        check(
          'endpoint',
          'fail',
          `${EMBED_LOGIN_PATH} answers 404: ${on} has neither n8n's licensed token-exchange module nor the n8n-embed hooks adapter`,
          adapterFix(context.portalOrigin),
        ),
      ],
      server: 'none',
    };
  if (post.status === 501)
    return {
      checks: [
        check(
          'endpoint',
          'fail',
          `${EMBED_LOGIN_PATH} answers 501: n8n's module is there but embed login is off`,
          'set N8N_EMBED_LOGIN_ENABLED=true on n8n',
        ),
      ],
      server: 'n8n-module',
    };
  if (post.status === 405)
    return {
      checks: [
        check(
          'endpoint',
          'fail',
          `POST ${EMBED_LOGIN_PATH} answers 405${post.headers.get('allow') ? ` (Allow: ${shown(post.headers.get('allow'), 40)})` : ''}: something in front of n8n refuses the login form`,
          'let POST /rest/auth/embed through the proxy or firewall to n8n (the SDK delivers the token by POST)',
        ),
      ],
      server: 'unknown',
    };
  if (post.status === REASONS.rate_limited.status)
    return {
      checks: [
        check(
          'endpoint',
          'warn',
          `${EMBED_LOGIN_PATH} answers 429: this address used its logins for this minute; run the doctor again in a minute`,
        ),
      ],
      server: 'unknown',
    };
  const csrfRefused =
    post.status === REASONS.origin_rejected.status && message === REASONS.origin_rejected.message;
  if (!csrfRefused && (post.status !== 400 || message !== TOKEN_REQUIRED)) {
    const location = post.headers.get('location');
    const what = location ? `a redirect to ${shown(location)}` : describe(post.status, post.headers, message);
    return {
      checks: [
        check(
          'endpoint',
          'fail',
          `POST ${EMBED_LOGIN_PATH} without a token answers ${what}, not n8n's 400 "${TOKEN_REQUIRED}": something else answers there`,
          'route /rest/auth/embed to n8n unchanged (no login wall, no rewrite) in the proxy in front of it',
        ),
      ],
      server: 'unknown',
    };
  }
  let server: EndpointServer = csrfRefused ? 'n8n-embed' : 'unknown';
  if (!csrfRefused)
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
  return {
    checks: [
      check('endpoint', 'pass', `${EMBED_LOGIN_PATH} is served by ${by}`),
      csrfCheck(server, csrfRefused, context.portalOrigin),
    ],
    server,
  };
}
