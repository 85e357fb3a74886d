// The portal login route and the clock-offset helper over real HTTP on 127.0.0.1.

import { isEmbedLoginError } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { createVerifier } from '@n8n-embed/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../test/http-server.js';
import { createPortalLoginRoute, measureClockOffset } from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { vectorSigner } from './vector-signer.js';

const N8N = 'https://n8n.example.com/n8n/';
let portal: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  const signer = await vectorSigner('vector-es256');
  const authenticate = (request: Request) =>
    request.headers.get('cookie') === 'portal=ada' ? { sub: 'ada', email: 'ada@example.com' } : null;
  const form = toNodeHandler(createPortalLoginRoute({ signer, n8nUrl: N8N, authenticate }));
  const redirect = toNodeHandler(
    createPortalLoginRoute({ signer, n8nUrl: N8N, authenticate, delivery: 'redirect' }),
  );
  portal = await listen((req, res) =>
    req.url?.startsWith('/redirect') ? redirect(req, res) : form(req, res),
  );
});
afterAll(() => portal.close());

const get = (path: string, cookie = 'portal=ada') =>
  fetch(new URL(path, portal.url), { headers: { cookie }, redirect: 'manual' });

describe('createPortalLoginRoute', () => {
  it('answers 401 without a portal session', async () => {
    const response = await get('/open', 'portal=nobody');
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the auto-submit form under its own CSP, with a token the verifier accepts', async () => {
    const response = await get('/open?redirectTo=/workflow/7');
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain('form-action https://n8n.example.com');
    const html = await response.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('action="https://n8n.example.com/n8n/rest/auth/embed"');
    expect(html).toContain('name="redirectTo" value="/workflow/7"');
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    const verifier = await createVerifier({ trustedKeys: VECTOR_TRUSTED_KEYS, audience: VECTOR_AUDIENCE });
    expect((await verifier.verify(token)).claims.sub).toBe('ada');
  });

  it('redirects with the token in the query when asked to', async () => {
    const response = await get('/redirect?redirectTo=/home/workflows');
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.pathname).toBe('/n8n/rest/auth/embed');
    expect(location.searchParams.get('redirectTo')).toBe('/home/workflows');
    expect(location.searchParams.get('token')?.split('.')).toHaveLength(3);
    expect(response.headers.get('referrer-policy')).toBe('strict-origin');
  });

  it('refuses an unsafe redirectTo before minting', async () => {
    const response = await get(`/open?redirectTo=${encodeURIComponent('//evil.com')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^redirectTo: /);
  });
});

describe('measureClockOffset', () => {
  it("reads n8n's Date header", async () => {
    const ahead = await listen((_, res) => {
      res.setHeader('date', new Date(Date.now() + 120_000).toUTCString());
      res.end();
    });
    try {
      const offset = await measureClockOffset(ahead.url);
      expect(offset).toBeGreaterThanOrEqual(119);
      expect(offset).toBeLessThanOrEqual(121);
    } finally {
      await ahead.close();
    }
  });

  it('an n8n that does not answer is a typed config_invalid naming the URL, not a raw TypeError', async () => {
    const gone = await listen((_, res) => res.end());
    await gone.close();
    const error = await measureClockOffset(gone.url).catch((caught: unknown) => caught);
    expect(isEmbedLoginError(error) && error.reason).toBe('config_invalid');
    expect((error as Error).message).toBe(
      `measureClockOffset: no answer from ${new URL(gone.url).origin} (ECONNREFUSED)`,
    );
    const silent = await listen(() => {});
    try {
      const late = await measureClockOffset(silent.url, { timeoutMs: 200 }).catch(
        (caught: unknown) => caught,
      );
      expect((late as Error).message).toBe(
        `measureClockOffset: no answer from ${new URL(silent.url).origin} (TimeoutError)`,
      );
    } finally {
      await silent.close();
    }
  });
});
