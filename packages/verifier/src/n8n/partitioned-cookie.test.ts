// The adapter's Partitioned session cookie (issue 14): N8N_EMBED_PARTITIONED_COOKIE, and the cookie
// rewritten on a real node:http response, as n8n's Express `res.cookie` leaves it. Inside a real n8n
// 2.41.1 in Chromium: packages/verifier/test/n8n/cookie-matrix.browser.test.ts.
import { createServer, type ServerResponse } from 'node:http';
import { VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { readAdapterConfig } from './adapter-config.js';
import { partitionSessionCookie } from './partitioned-cookie.js';

async function setCookiesAfter(prepare: (res: ServerResponse) => void): Promise<string[]> {
  const server = createServer((_req, res) => {
    prepare(res);
    partitionSessionCookie(res);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    return (await fetch(`http://127.0.0.1:${port}/`)).headers.getSetCookie();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const N8N_COOKIE = 'n8n-auth=a.b.c; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=None';

describe('partitionSessionCookie', () => {
  it("adds Partitioned to n8n's session cookie, set as one value or in a list, and leaves others alone", async () => {
    expect(await setCookiesAfter((res) => res.setHeader('Set-Cookie', N8N_COOKIE))).toEqual([
      `${N8N_COOKIE}; Partitioned`,
    ]);
    expect(
      await setCookiesAfter((res) => res.setHeader('Set-Cookie', ['other=1; Path=/', N8N_COOKIE])),
    ).toEqual(['other=1; Path=/', `${N8N_COOKIE}; Partitioned`]);
  });

  it('never adds it twice, and a response without cookies stays without', async () => {
    expect(await setCookiesAfter((res) => res.setHeader('Set-Cookie', `${N8N_COOKIE}; partitioned`))).toEqual(
      [`${N8N_COOKIE}; partitioned`],
    );
    expect(await setCookiesAfter(() => {})).toEqual([]);
  });

  it('a cookie whose name only starts like the session cookie is not it', async () => {
    expect(await setCookiesAfter((res) => res.setHeader('Set-Cookie', 'n8n-auth-x=1; Path=/'))).toEqual([
      'n8n-auth-x=1; Path=/',
    ]);
  });
});

describe('N8N_EMBED_PARTITIONED_COOKIE', () => {
  const on = {
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS: JSON.stringify(VECTOR_TRUSTED_KEYS),
    N8N_EMBED_PORTAL_ORIGINS: 'https://portal.example.com',
  };
  const single = { queueMode: false };

  it('is off by default, on with true or 1, and anything else names the variable', () => {
    expect(readAdapterConfig(on, single)?.partitionedCookie).toBe(false);
    expect(
      readAdapterConfig({ ...on, N8N_EMBED_PARTITIONED_COOKIE: 'true' }, single)?.partitionedCookie,
    ).toBe(true);
    expect(readAdapterConfig({ ...on, N8N_EMBED_PARTITIONED_COOKIE: '1' }, single)?.partitionedCookie).toBe(
      true,
    );
    expect(() => readAdapterConfig({ ...on, N8N_EMBED_PARTITIONED_COOKIE: 'yes' }, single)).toThrow(
      'N8N_EMBED_PARTITIONED_COOKIE: expected true or false, got "yes"',
    );
  });
});
