// The slices of n8n's internals the adapter uses, described structurally: n8n is not a dependency of
// this package, and every one of these is checked at start (n8n-internals.ts).

/** n8n's `Logger` from `@n8n/backend-common`. */
export interface N8nLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** A `User` entity loaded with its `role` relation. */
export interface N8nUser {
  readonly id: string;
  readonly email: string;
  readonly role?: { readonly slug: string } | null;
  /** Set by an admin in n8n (or its database); n8n refuses such a user's session. */
  readonly disabled?: boolean;
}

export interface N8nEntityManager {
  create(entity: unknown, values: Record<string, unknown>): unknown;
  save(entity: unknown): Promise<unknown>;
}

/** `UserRepository` from `@n8n/db`. */
export interface N8nUserRepository {
  findOne(options: { where: Record<string, unknown>; relations: string[] }): Promise<N8nUser | null>;
  createUserWithProject(
    user: Record<string, unknown>,
    manager: N8nEntityManager,
  ): Promise<{ readonly user: N8nUser }>;
  readonly manager: {
    transaction<T>(run: (manager: N8nEntityManager) => Promise<T>): Promise<T>;
    readonly connection: N8nDataSource;
  };
}

/** `AuthIdentityRepository` from `@n8n/db`. */
export interface N8nAuthIdentityRepository {
  findOne(options: {
    where: { providerId: string; providerType: string };
    relations: { user: { role: true } };
  }): Promise<{ readonly user: N8nUser } | null>;
  save(identity: unknown): Promise<unknown>;
}

/** The `AuthIdentity` entity class from `@n8n/db`. */
export interface N8nAuthIdentityClass {
  create(user: N8nUser, providerId: string, providerType: string): unknown;
}

/** `AuthService` from `n8n/dist/auth/auth.service`. */
export interface N8nAuthService {
  issueCookie(
    res: unknown,
    user: N8nUser,
    usedMfa: boolean,
    browserId: string | undefined,
    isEmbed: boolean,
    cookieOverrides: { sameSite: 'none'; secure: boolean },
  ): void;
}

/** `RoleService` from `n8n/dist/services/role.service`. */
export interface N8nRoleService {
  isGlobalRole(slug: string): Promise<boolean>;
  isRoleLicensed(slug: string): boolean;
}

/** A TypeORM query runner on one connection of n8n's pool. */
export interface N8nQueryRunner {
  /** With `structured`, a `QueryResult`: its `affected` is a write's count of changed rows. */
  query(sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown>;
  release(): Promise<void>;
}

/** n8n's TypeORM `DataSource` (from `@n8n/typeorm`), as the repositories hold it. */
export interface N8nDataSource {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
  createQueryRunner(): N8nQueryRunner;
  readonly driver: { escape(name: string): string };
}

/** n8n's database: its connection and what names a table in it. */
export interface N8nDatabase {
  readonly type: 'sqlite' | 'postgresdb';
  readonly dataSource: N8nDataSource;
  /** n8n's `DB_TABLE_PREFIX`. */
  readonly tablePrefix: string;
  /** n8n's `DB_POSTGRESDB_SCHEMA` (Postgres only). */
  readonly schema?: string;
}

/** The parts of n8n's `GlobalConfig` the adapter reads. */
export interface N8nGlobalConfig {
  readonly endpoints: { readonly rest: string };
  readonly database?: {
    readonly type?: string;
    readonly tablePrefix?: string;
    readonly postgresdb?: { readonly schema?: string };
  };
  readonly executions?: { readonly mode?: string };
  readonly queue?: {
    readonly bull?: {
      readonly redis?: {
        readonly host?: string;
        readonly port?: number;
        readonly db?: number;
        readonly username?: string;
        readonly password?: string;
        readonly tls?: boolean;
      };
    };
  };
}

/** n8n's Express app, as `server.app` hands it to the `n8n.ready` hook. */
export interface N8nExpressApp {
  get(path: string, handler: (req: never, res: never, next: never) => unknown): unknown;
  post(path: string, handler: (req: never, res: never, next: never) => unknown): unknown;
}

/** Everything the adapter takes from n8n, checked and loaded once. */
export interface N8nInternals {
  /** n8n's version from its package.json, for messages. */
  readonly version: string;
  readonly logger: N8nLogger;
  readonly globalConfig: N8nGlobalConfig;
  readonly database: N8nDatabase;
  readonly users: N8nUserRepository;
  readonly authIdentities: N8nAuthIdentityRepository;
  readonly AuthIdentity: N8nAuthIdentityClass;
  readonly authService: N8nAuthService;
  readonly roleService: N8nRoleService;
  isBuiltInRole(slug: string): boolean;
  /** n8n's public base URL (`N8N_EDITOR_BASE_URL` or protocol, host, port and path). */
  instanceBaseUrl(): string;
  /** True when n8n itself serves `/rest/auth/embed` (its licensed token-exchange module is active). */
  ownEmbedRouteActive(): boolean;
}
