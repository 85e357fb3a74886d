import { EMBED_LOGIN_PATH, SESSION_COOKIE_NAME } from '@n8n-embed/protocol';

let lastAddress = 0;

/**
 * Requests to n8n's /rest/auth/embed as one client address. n8n runs with N8N_PROXY_HOPS=1, so its
 * Express takes the address from X-Forwarded-For, as behind a reverse proxy: each test is its own
 * client and only the rate-limit test exhausts a budget.
 */
export function embedClient(baseUrl: string) {
  lastAddress += 1;
  const headers = { 'x-forwarded-for': `198.51.100.${lastAddress}` };
  const url = `${baseUrl}${EMBED_LOGIN_PATH}`;
  return {
    /** The client address n8n sees (and logs as `clientAddress`). */
    address: headers['x-forwarded-for'],
    get: (params: Record<string, string>) =>
      fetch(`${url}?${new URLSearchParams(params)}`, { redirect: 'manual', headers }),
    post: (params: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      }),
  };
}

/** The `n8n-auth` Set-Cookie line of a response, if any. */
export function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`));
}

/** `GET /rest/login` with the session: the user n8n sees, or the status when it refuses. */
export async function currentUser(
  baseUrl: string,
  cookieLine: string,
): Promise<{ id: string; email: string; role: string } | number> {
  const cookie = cookieLine.split(';')[0] as string;
  const response = await fetch(`${baseUrl}/rest/login`, { headers: { cookie } });
  if (!response.ok) return response.status;
  const { data } = (await response.json()) as { data: { id: string; email: string; role: string } };
  return data;
}
