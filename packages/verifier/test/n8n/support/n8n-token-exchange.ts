// n8n's own compiled token-exchange code from the installed n8n 2.41.1 package, instantiated outside
// n8n with in-memory stand-ins for its storage: its TrustedKeyService (keys as its own static-source
// code stores them), JtiStoreService, IdentityResolutionService and TokenExchangeService. The licensed
// module is never enabled, and no licence check is touched: these classes are only constructed here.
import type { TrustedKeySource } from '@n8n-embed/protocol';
import { n8nAt } from '../../../src/n8n.js';
import type { MemoryN8nDb } from './memory-n8n-db.js';
import { n8nRoot } from './n8n-peer.js';

type Constructor<T = unknown> = new (...args: unknown[]) => T;
interface TokenExchangeService {
  embedLogin(token: string): Promise<{ user: { email: string; role: { slug: string } } }>;
}
interface TrustedKeyService {
  resolveStaticKeys(configs: readonly unknown[]): Array<{ kid: string; data: unknown }>;
}

const n8n = n8nAt(n8nRoot());
n8n.require('reflect-metadata');
const load = <T>(path: string, name: string): Constructor<T> =>
  (n8n.require(`./dist/modules/token-exchange/${path}`) as Record<string, Constructor<T>>)[
    name
  ] as Constructor<T>;
const TokenExchange = load<TokenExchangeService>(
  'services/token-exchange.service.js',
  'TokenExchangeService',
);
const IdentityResolution = load('services/identity-resolution.service.js', 'IdentityResolutionService');
const TrustedKeys = load<TrustedKeyService>('services/trusted-key.service.js', 'TrustedKeyService');
const JtiStore = load('services/jti-store.service.js', 'JtiStoreService');
/** n8n's AuthIdentity entity class, for our adapter's store. */
export const AuthIdentity = (n8n.require('@n8n/db') as { AuthIdentity: unknown }).AuthIdentity;
export const isBuiltInRole = (n8n.require('@n8n/permissions') as { isBuiltInRole(slug: string): boolean })
  .isBuiltInRole;
export const validateRedirectUrl = (
  n8n.require('./dist/utils/validate-redirect-url.js') as { validateRedirectUrl(url: string): string }
).validateRedirectUrl;

const quietLogger = {
  scoped: () => quietLogger,
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** What n8n's endpoint would answer: its error's HTTP status and message; a zod failure is its 500. */
export interface N8nOutcome {
  readonly status: number;
  readonly message: string;
  readonly schemaFailure?: boolean;
  readonly user?: { readonly email: string; readonly role: string };
}

export function n8nTokenExchange(trustedKeys: readonly TrustedKeySource[], db: MemoryN8nDb) {
  const config = { excludeOwner: true, maxTokenTtl: 900, trustedKeys: JSON.stringify(trustedKeys) };
  // n8n's own static-source code validates and stores the keys; reads go through its getByKidAndIss.
  const keyRows: Array<{ sourceId: string; kid: string; data: string }> = [];
  const keyRepository = { findAllByKid: async (kid: string) => keyRows.filter((row) => row.kid === kid) };
  const keys = new TrustedKeys(quietLogger, config, {}, keyRepository, {}, {});
  const statics = trustedKeys.filter((source) => source.type === 'static');
  for (const { kid, data } of keys.resolveStaticKeys(statics)) {
    keyRows.push({ sourceId: 'static', kid, data: JSON.stringify(data) });
  }
  const consumed = new Set<string>();
  const jtiRepository = {
    atomicConsume: async (jti: string) => {
      if (consumed.has(jti)) return false;
      consumed.add(jti);
      return true;
    },
  };
  const events = { emit() {} };
  const identity = new IdentityResolution(
    quietLogger,
    db.userRepository,
    db.authIdentityRepository,
    events,
    db.userService,
    { hasSingleTrustedIssuer: async () => false },
    db.roleService,
    config,
  );
  const service = new TokenExchange(quietLogger, keys, new JtiStore(jtiRepository), identity, config, {});
  return {
    /** n8n's `/rest/auth/embed` minus HTTP: `TokenExchangeService.embedLogin`. */
    async embedLogin(token: string): Promise<N8nOutcome> {
      try {
        const { user } = await service.embedLogin(token);
        return { status: 302, message: '', user: { email: user.email, role: user.role.slug } };
      } catch (error) {
        if ((error as Error).name === 'ZodError')
          return { status: 500, message: 'zod issue list', schemaFailure: true };
        const { httpStatusCode, message } = error as { httpStatusCode?: number; message: string };
        return { status: httpStatusCode ?? 500, message };
      }
    },
  };
}
