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

  it('--partitioned-cookie: the session cookie and its removal carry Partitioned (CHIPS, issue 14)', async () => {
    const io = memoryIo();
    writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(VECTOR_TRUSTED_KEYS));
    const running = run(
      [
        'dev',
        '--port',
        '0',
        '--trusted-keys',
        'trusted.json',
        '--audience',
        VECTOR_AUDIENCE,
        '--partitioned-cookie',
      ],
      io,
    );
    await expect.poll(() => io.out(), { timeout: 5000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())?.[1] ?? '';
    const cookie = (await signIn(url)).headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^n8n-auth=[\w-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/,
    );
    const logout = await fetch(`${url}rest/logout`, {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(logout.headers.get('set-cookie')).toBe(
      'n8n-auth=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=None; Partitioned',
    );
    io.stop();
    expect(await running).toBe(0);
  });
});

describe('n8n-embed dev, when something is off', () => {
  const trusted = () => {
    const io = memoryIo();
    writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(VECTOR_TRUSTED_KEYS));
    return io;
  };

  it('logs a refusal with the reason its HTTP answer gives (user_rejected: why)', async () => {
    const io = trusted();
    const running = run(
      ['dev', '--port', '0', '--trusted-keys', 'trusted.json', '--audience', VECTOR_AUDIENCE],
      io,
    );
    await expect.poll(() => io.out(), { timeout: 5000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.out())?.[1] ?? '';
    const refused = await signIn(url, {
      sub: 'eve',
      email: 'eve@example.com',
      emailVerified: false,
      givenName: 'Eve',
    });
    const { message } = (await refused.json()) as { message: string };
    expect(refused.status).toBe(401);
    expect(io.err()).toContain(`refused: user_rejected (${message}`);
    io.stop();
    expect(await running).toBe(0);
  });

  it('a busy port and an unknown host are one line naming the flag', async () => {
    const first = await startDevServer({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      port: 0,
    });
    try {
      const port = new URL(first.url).port;
      const busy = trusted();
      expect(await run(['dev', '--port', port, '--trusted-keys', 'trusted.json'], busy)).toBe(1);
      expect(busy.err()).toBe(
        `n8n-embed: --port: ${port} is in use on 127.0.0.1; pass another --port, or --port 0 for a free one\n`,
      );
    } finally {
      await first.close();
    }
    const host = trusted();
    expect(
      await run(
        ['dev', '--port', '0', '--host', 'no.such.host.invalid', '--trusted-keys', 'trusted.json'],
        host,
      ),
    ).toBe(1);
    expect(host.err()).toMatch(
      /^n8n-embed: --host: no\.such\.host\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\); use an address of this machine/,
    );
    const remote = trusted();
    expect(
      await run(['dev', '--port', '0', '--host', '192.0.2.1', '--trusted-keys', 'trusted.json'], remote),
    ).toBe(1);
    expect(remote.err()).toBe(
      'n8n-embed: --host: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL)\n',
    );
  });
});
