import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMBED_LOGIN_PATH, type Profile, SESSION_COOKIE_NAME } from '@n8n-embed/protocol';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createVerifier,
  EMBED_BRIDGE_PATH,
  type EmbedLoginEvent,
  embedBridgeScript,
  type TrustedKeysInput,
} from '@n8n-embed/verifier';
import { toNodeHandler } from '@n8n-embed/verifier/node';
import { devPage } from './dev-page.js';
import { createDevUsers, type DevUser } from './dev-users.js';

export interface DevServerOptions {
  readonly trustedKeys: TrustedKeysInput;
  readonly audience?: string;
  readonly profile?: Profile;
  /** Default 5678, n8n's; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Each login and refusal; a refusal carries `answer`, the message its HTTP answer gave. */
  readonly onEvent?: (event: DevEvent) => void;
  /**
   * The portals that may frame it. With them, a login from the browser helper gets the embed
   * handshake, and every page carries the bridge (like n8n with the adapter and the bridge installed).
   */
  readonly portalOrigins?: readonly string[];
  /** Configuration warnings; without `portalOrigins` the endpoint accepts logins started by any site. */
  readonly warn?: (message: string) => void;
  /** The URL browsers reach it at, when a proxy (TLS, a host name) is in front. Default: its own URL. */
  readonly publicUrl?: string;
  /**
   * The session cookie carries `Partitioned` (CHIPS): kept per top-level site, so a cross-site portal's
   * frame keeps it where third-party cookies are blocked (Chromium). What the adapter's
   * N8N_EMBED_PARTITIONED_COOKIE and the reverse-proxy examples do for n8n.
   */
  readonly partitionedCookie?: boolean;
  /** The endpoint's rate limit; default n8n's 20 a minute per address (`false` for suites that send more). */
  readonly rateLimit?: { readonly perMinute: number } | false;
}

/** The endpoint's event, and for a refusal the message its answer gave (user_rejected: why). */
export type DevEvent = EmbedLoginEvent & { readonly answer?: string };

export interface DevServer {
  readonly url: string;
  close(): Promise<void>;
}

const SESSION_SECONDS = 604_800;

function sessionIdOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE_NAME) return value;
  }
  return undefined;
}

/** The `message` of an n8n-style JSON error answer, if that is what it is. */
async function answerOf(response: Response): Promise<string | undefined> {
  if (response.status < 400) return undefined;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * A local stand-in for n8n's embed login, built on the verifier's endpoint: `GET`/`POST
 * /rest/auth/embed` with n8n's statuses and messages and a session cookie like n8n's, `GET /rest/login`
 * answering the session's user like n8n, and a page at every other path. Users live in memory.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const verifier = await createVerifier({
    trustedKeys: options.trustedKeys,
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const sessions = new Map<string, DevUser>();
  // n8n's cookie: Secure and SameSite=None so it works inside a portal's iframe (browsers treat
  // http://127.0.0.1 and localhost as secure).
  const attributes = `Path=/; HttpOnly; Secure; SameSite=None${options.partitionedCookie ? '; Partitioned' : ''}`;
  let login: ReturnType<typeof toNodeHandler> | undefined;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const user = sessions.get(sessionIdOf(req) ?? '');
    if (path === EMBED_LOGIN_PATH && login) return void login(req, res);
    if (path === EMBED_BRIDGE_PATH && options.portalOrigins)
      return send(res, 200, 'text/javascript; charset=utf-8', embedBridgeScript(options.portalOrigins));
    if (path === '/rest/logout' && req.method === 'POST') {
      // n8n's sign-out: the session ends and its cookie goes.
      sessions.delete(sessionIdOf(req) ?? '');
      res.setHeader(
        'Set-Cookie',
        // The same attributes: a partitioned cookie is only removed by a partitioned Set-Cookie.
        `${SESSION_COOKIE_NAME}=; Max-Age=0; ${attributes}`,
      );
      return send(res, 200, 'application/json', JSON.stringify({ data: { loggedOut: true } }));
    }
    if (path === '/rest/login') {
      return user
        ? send(res, 200, 'application/json', JSON.stringify({ data: user }))
        : send(res, 401, 'application/json', JSON.stringify({ code: 401, message: 'Unauthorized' }));
    }
    send(res, 200, 'text/html; charset=utf-8', devPage(user, req.url ?? '/', !!options.portalOrigins));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5678, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  const pending = new AsyncLocalStorage<{ event?: EmbedLoginEvent }>();
  const handler = createEmbedLoginHandler<DevUser>({
    verifier,
    n8nUrl: options.publicUrl ?? url,
    resolveUser: createIdentityResolver(createDevUsers()),
    issueSession: (user, { headers }) => {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, user);
      headers.append('Set-Cookie', `${SESSION_COOKIE_NAME}=${id}; Max-Age=${SESSION_SECONDS}; ${attributes}`);
    },
    // Held until the request's answer is known (below), so a refusal is logged with its message.
    onEvent: (event) => {
      const slot = pending.getStore();
      if (slot) slot.event = event;
      else options.onEvent?.(event);
    },
    // A local stand-in: without portal origins it accepts any site, and says so (`warn`).
    portalOrigins: options.portalOrigins ?? 'any',
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    warn: options.warn ?? (() => {}),
  });
  login = toNodeHandler(async (request, context) => {
    const slot: { event?: EmbedLoginEvent } = {};
    const response = await pending.run(slot, () => handler(request, context));
    const { event } = slot;
    if (event?.type === 'embed-login-failed') {
      const answer = await answerOf(response);
      options.onEvent?.(answer === undefined ? event : { ...event, answer });
    } else if (event) options.onEvent?.(event);
    return response;
  });
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
