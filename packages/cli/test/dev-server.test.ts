import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { buildLoginUrl, createLoginSigner } from '@n8n-embed/sdk';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../src/index.js';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';

const key = VECTOR_KEYS[0];
if (!key) throw new Error('no vector key');
const signer = () =>
  createLoginSigner({
    privateKey: key.privateJwk,
    kid: key.kid,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });

async function signIn(
  base: string,
  user = { sub: 'ada', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' },
) {
  const token = await (await signer()).mint(user);
  return fetch(buildLoginUrl({ n8nUrl: base, token, redirectTo: '/workflow/7' }), { redirect: 'manual' });
}

describe('startDevServer', () => {
  it('logs in like n8n: 302 with the session cookie, /rest/login, and the page', async () => {
    const dev = await startDevServer({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      port: 0,
    });
    try {
      expect((await fetch(`${dev.url}rest/login`)).status).toBe(401);
      const login = await signIn(dev.url);
      expect(login.status).toBe(302);
      expect(login.headers.get('location')).toBe(`${dev.url}workflow/7`);
      const cookie = login.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^n8n-auth=[\w-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=None$/);
      const session = { cookie: cookie.split(';')[0] ?? '' };
      const me = await fetch(`${dev.url}rest/login`, { headers: session });
      expect((await me.json()).data).toMatchObject({
        email: 'ada@example.com',
        firstName: 'Ada',
        role: 'global:member',
      });
      const page = await (await fetch(`${dev.url}workflow/7`, { headers: session })).text();
      expect(page).toContain('ada@example.com');
      expect(page).toContain('/workflow/7');
      const again = await fetch(login.url, { redirect: 'manual' });
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({ code: 401, message: 'Token has already been used' });
    } finally {
      await dev.close();
    }
  });

  it('runs as `n8n-embed dev` until stopped', async () => {
    const io = memoryIo();
    writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(VECTOR_TRUSTED_KEYS));
    const running = run(
      ['dev', '--port', '0', '--trusted-keys', 'trusted.json', '--audience', VECTOR_AUDIENCE],
      io,
    );
    await expect.poll(() => io.out(), { timeout: 5000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())?.[1] ?? '';
    expect((await signIn(url)).status).toBe(302);
    expect(io.err()).toMatch(/login: ada \(kid vector-es256/);
    io.stop();
    expect(await running).toBe(0);
  });
});
