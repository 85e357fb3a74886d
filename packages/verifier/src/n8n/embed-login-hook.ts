import { nodeNativeOf, toNodeHandler } from '@n8n-embed/node-http';
import { isEmbedLoginError } from '@n8n-embed/protocol';
import { embedBridgeResponse } from '../http/embed-bridge.js';
import { createEmbedLoginHandler, type EmbedLoginHandler } from '../http/embed-login-handler.js';
import { createIdentityResolver } from '../identity/identity-resolver.js';
import { createVerifier } from '../verify/create-verifier.js';
import { type AdapterConfig, type Env, readAdapterConfig } from './adapter-config.js';
import { adminReachWarning } from './admin-reach.js';
import { type LocatedN8n, locateRunningN8n } from './locate-n8n.js';
import { logEmbedLoginEvent } from './log-event.js';
import { createN8nIdentityStore } from './n8n-identity-store.js';
import { loadN8nInternals, loadN8nLogger } from './n8n-internals.js';
import type { N8nExpressApp, N8nInternals } from './n8n-types.js';
import { partitionSessionCookie } from './partitioned-cookie.js';
import { queueRedisOf } from './queue-redis.js';
import { replayStoreFor } from './replay-store-for.js';

export interface EmbedLoginHookOptions {
  /** Default `process.env`. */
  readonly env?: Env;
  /** Default: the n8n that loaded this file. */
  readonly locate?: () => LocatedN8n;
}

/** What n8n passes to `n8n.ready`: its server, whose `app` is n8n's Express app. */
export interface N8nServer {
  readonly app: N8nExpressApp;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function createHandler(config: AdapterConfig, n8n: N8nInternals): Promise<EmbedLoginHandler> {
  const replayStore = await replayStoreFor(config.replay, n8n).catch((cause: unknown) => {
    const where =
      config.replay.kind === 'redis' ? config.replay.variable : `replay store ${config.replay.kind}`;
    throw new Error(`${where}: ${messageOf(cause)}`);
  });
  const verifier = await createVerifier({
    trustedKeys: config.trustedKeys,
    profile: config.profile,
    clockToleranceSeconds: config.clockToleranceSeconds,
    replayStore,
  }).catch((cause: unknown) => {
    throw new Error(`${config.trustedKeysVariable}: ${messageOf(cause)}`);
  });
  const resolveUser = createIdentityResolver(createN8nIdentityStore(n8n));
  return createEmbedLoginHandler({
    verifier,
    n8nUrl: n8n.instanceBaseUrl(),
    resolveUser: (token) => resolveUser(token),
    issueSession(user, { native }) {
      // The explicit boundary: n8n's AuthService writes its cookie on the raw response, and
      // toNodeHandler keeps Set-Cookie written there (NodeNative); nothing else is written on it.
      const node = nodeNativeOf(native);
      if (node === undefined)
        throw new Error('n8n-embed: the session needs the node:http request and response');
      const { req, res } = node;
      const { browserId: id } = req as { browserId?: unknown };
      const browserId = typeof id === 'string' ? id : undefined;
      // n8n's own embed session: the ordinary n8n-auth cookie, marked as embed, SameSite=None; Secure.
      n8n.authService.issueCookie(res, user, true, browserId, true, { sameSite: 'none', secure: true });
      // n8n's issueCookie has no `partitioned` (2.41.1): the attribute is added to what it wrote.
      if (config.partitionedCookie) partitionSessionCookie(res);
    },
    ...(config.portalOrigins ? { portalOrigins: config.portalOrigins } : {}),
    rateLimit: { perMinute: config.perMinute },
    onEvent: logEmbedLoginEvent(n8n.logger),
  });
}

/**
 * The `n8n.ready` hook: mounts `GET` and `POST /rest/auth/embed` on n8n's Express app, unless n8n's
 * own (licensed) module already serves it. Configuration or n8n-internals problems are logged through
 * n8n's logger, naming the variable or the n8n version, and n8n keeps running without the route.
 */
export function createEmbedLoginHook(
  options: EmbedLoginHookOptions = {},
): (server: N8nServer) => Promise<void> {
  return async (server) => {
    const located = (options.locate ?? locateRunningN8n)();
    let n8n: N8nInternals;
    try {
      n8n = loadN8nInternals(located);
    } catch (error) {
      const logger = loadN8nLogger(located);
      if (logger === undefined) throw error; // nowhere else to say it: n8n reports the failed hook
      logger.error(`${messageOf(error)}; embed login is not available`);
      return;
    }
    const { logger } = n8n;
    const path = `/${n8n.globalConfig.endpoints.rest}/auth/embed`;
    if (n8n.ownEmbedRouteActive()) {
      logger.info(`n8n-embed: n8n's own token-exchange module serves ${path}; the adapter stays off`);
      return;
    }
    try {
      const config = readAdapterConfig(options.env ?? process.env, queueRedisOf(n8n.globalConfig));
      if (config === undefined) {
        logger.info('n8n-embed: embed login is off (N8N_EMBED_LOGIN_ENABLED is not true)');
        return;
      }
      const handler = toNodeHandler(await createHandler(config, n8n));
      server.app.get(path, handler);
      server.app.post(path, handler);
      const { portalOrigins } = config;
      if (Array.isArray(portalOrigins)) {
        // The bridge for n8n's editor pages (EXTERNAL_FRONTEND_HOOKS_URLS=<base>rest/auth/embed/bridge.js):
        // tells the portal's helper where the editor is and when n8n's session has ended.
        const basePath = new URL(n8n.instanceBaseUrl()).pathname;
        const rest = n8n.globalConfig.endpoints.rest;
        server.app.get(
          `${path}/bridge.js`,
          toNodeHandler(async () => embedBridgeResponse(portalOrigins, basePath, rest)),
        );
      }
      logger.info(
        `n8n-embed: the adapter serves ${path} on n8n ${n8n.version} (profile ${config.profile}, replay store ${config.replay.kind})`,
      );
      const adminWarning = adminReachWarning(config.trustedKeys, config.trustedKeysVariable);
      if (adminWarning !== undefined) logger.warn(adminWarning);
    } catch (error) {
      const reason = isEmbedLoginError(error) ? error.message : messageOf(error);
      logger.error(`n8n-embed: embed login not started: ${reason}`);
    }
  };
}
