import type { LocatedN8n } from './locate-n8n.js';
import type {
  N8nAuthIdentityClass,
  N8nAuthIdentityRepository,
  N8nAuthService,
  N8nDatabase,
  N8nDataSource,
  N8nGlobalConfig,
  N8nInternals,
  N8nLogger,
  N8nRoleService,
  N8nUserRepository,
} from './n8n-types.js';

/** The n8n versions the adapter is tested against (`npm run test:n8n`). */
export const TESTED_N8N_VERSIONS: readonly string[] = ['2.41.1'];

/** An n8n internal the adapter needs is missing or changed shape. */
export class N8nInternalsError extends Error {
  override readonly name = 'N8nInternalsError';
}

type Exports = Record<string, unknown>;

/**
 * Loads and checks every n8n internal the adapter uses (the dependency container, the repositories,
 * AuthService and the method signatures it relies on), so an n8n that changed fails at start with a
 * message naming its version, never at a user's login.
 */
export function loadN8nInternals(n8n: LocatedN8n): N8nInternals {
  const fail = (what: string): never => {
    throw new N8nInternalsError(
      `n8n-embed: n8n ${n8n.version} lacks ${what}; the adapter supports n8n ${TESTED_N8N_VERSIONS.join(', ')}`,
    );
  };
  const load = (id: string): Exports => {
    try {
      return n8n.require(id) as Exports;
    } catch {
      return fail(`the module ${id}`);
    }
  };
  const exported = (module: Exports, id: string, name: string): unknown =>
    module[name] ?? fail(`${name} in ${id}`);
  // A number is the parameter count the adapter relies on (it passes arguments by position); `null`
  // only needs the method.
  const withMethods = <T>(value: unknown, label: string, methods: Record<string, number | null>): T => {
    for (const [method, arity] of Object.entries(methods)) {
      const fn = (value as Record<string, unknown> | null)?.[method];
      if (typeof fn !== 'function') fail(`${label}.${method}()`);
      else if (arity !== null && fn.length !== arity) fail(`${label}.${method}() with ${arity} parameters`);
    }
    return value as T;
  };

  const { Container } = load('@n8n/di') as { Container?: { get(token: unknown): unknown } };
  if (typeof Container?.get !== 'function') fail('Container in @n8n/di');
  const get = (id: string, name: string): unknown => {
    const token = exported(load(id), id, name);
    try {
      return (Container as { get(token: unknown): unknown }).get(token);
    } catch {
      return fail(`${name} (from ${id}) in n8n's container`);
    }
  };

  const logger = withMethods<N8nLogger>(get('@n8n/backend-common', 'Logger'), 'Logger', {
    info: null,
    warn: null,
    error: null,
  });
  const globalConfig = get('@n8n/config', 'GlobalConfig') as N8nGlobalConfig;
  if (typeof globalConfig?.endpoints?.rest !== 'string') fail('GlobalConfig.endpoints.rest');
  const users = withMethods<N8nUserRepository>(get('@n8n/db', 'UserRepository'), 'UserRepository', {
    findOne: null,
    createUserWithProject: 2,
  });
  if (typeof users.manager?.transaction !== 'function') fail('UserRepository.manager.transaction');
  const dataSource = withMethods<N8nDataSource>(users.manager.connection, 'DataSource', {
    query: null,
    createQueryRunner: null,
  });
  if (typeof dataSource.driver?.escape !== 'function') fail('DataSource.driver.escape()');
  const { type, tablePrefix = '', postgresdb } = globalConfig.database ?? {};
  if (type !== 'sqlite' && type !== 'postgresdb') fail(`support for the database type ${type}`);
  const database: N8nDatabase = {
    type: type as N8nDatabase['type'],
    dataSource,
    tablePrefix,
    ...(postgresdb?.schema ? { schema: postgresdb.schema } : {}),
  };
  const authIdentities = withMethods<N8nAuthIdentityRepository>(
    get('@n8n/db', 'AuthIdentityRepository'),
    'AuthIdentityRepository',
    { findOne: null, save: null },
  );
  const AuthIdentity = withMethods<N8nAuthIdentityClass>(
    exported(load('@n8n/db'), '@n8n/db', 'AuthIdentity'),
    'AuthIdentity',
    { create: null },
  );
  const authService = withMethods<N8nAuthService>(
    get('./dist/auth/auth.service.js', 'AuthService'),
    'AuthService',
    { issueCookie: 6 },
  );
  const urlService = withMethods<{ getInstanceBaseUrl(): string }>(
    get('./dist/services/url.service.js', 'UrlService'),
    'UrlService',
    { getInstanceBaseUrl: null },
  );
  const roleService = withMethods<N8nRoleService>(
    get('./dist/services/role.service.js', 'RoleService'),
    'RoleService',
    { isGlobalRole: null, isRoleLicensed: null },
  );
  const isBuiltInRole = exported(load('@n8n/permissions'), '@n8n/permissions', 'isBuiltInRole');
  if (typeof isBuiltInRole !== 'function') fail('isBuiltInRole in @n8n/permissions');
  const controllers = get('@n8n/decorators', 'ControllerRegistryMetadata') as {
    controllerClasses?: Iterable<unknown>;
    getControllerMetadata?(controller: unknown): { basePath?: string };
  };
  if (typeof controllers?.getControllerMetadata !== 'function' || !controllers.controllerClasses)
    fail('ControllerRegistryMetadata.controllerClasses in @n8n/decorators');

  return {
    version: n8n.version,
    logger,
    globalConfig,
    database,
    users,
    authIdentities,
    AuthIdentity,
    authService,
    roleService,
    isBuiltInRole: isBuiltInRole as (slug: string) => boolean,
    instanceBaseUrl: () => urlService.getInstanceBaseUrl(),
    ownEmbedRouteActive: () =>
      [...(controllers.controllerClasses as Iterable<unknown>)].some(
        (controller) =>
          controllers.getControllerMetadata?.(controller).basePath?.replace(/^\/+|\/+$/g, '') ===
          'auth/embed',
      ),
  };
}

/** n8n's logger alone, to report why the rest could not be loaded; undefined when even that fails. */
export function loadN8nLogger(n8n: LocatedN8n): N8nLogger | undefined {
  try {
    const { Container } = n8n.require('@n8n/di') as { Container: { get(token: unknown): N8nLogger } };
    const { Logger } = n8n.require('@n8n/backend-common') as { Logger: unknown };
    const logger = Container.get(Logger);
    return typeof logger.error === 'function' ? logger : undefined;
  } catch {
    return undefined;
  }
}
