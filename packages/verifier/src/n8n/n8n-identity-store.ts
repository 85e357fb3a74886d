import { EmbedLoginError, OWNER_ROLE, sha256Hex } from '@n8n-embed/protocol';
import type { IdentityStore, NewUser } from '../identity/identity-resolver.js';
import type { N8nInternals, N8nUser } from './n8n-types.js';

/** n8n's module binds identities as `auth_identity` rows of this provider type. */
export const PROVIDER_TYPE = 'token-exchange';
/** n8n's module stores this as the password of users it creates: no password ever matches it. */
const NO_PASSWORD = '!token-exchange-no-password';

/**
 * The `auth_identity.providerId` n8n's token-exchange module writes for (`iss`, `sub`): hex SHA-256 of
 * the issuer, `::`, the subject. Writing the same rows means a later switch to the licensed module
 * keeps every binding.
 */
export async function qualifiedProviderId(issuer: string, sub: string): Promise<string> {
  return `${await sha256Hex(issuer)}::${sub}`;
}

function refuse(message: string): EmbedLoginError {
  return new EmbedLoginError('user_rejected', { message, n8nReason: 'role_not_allowed' });
}

/** n8n's checks on the role a new user gets, with its messages (the resolver checks owner and allowedRoles). */
async function assertAssignable(n8n: N8nInternals, role: string): Promise<void> {
  if (role === OWNER_ROLE) throw refuse('Cannot provision global:owner role via token exchange');
  if (!(await n8n.roleService.isGlobalRole(role)))
    throw refuse(`Unrecognized role '${role}' cannot be assigned to new user`);
  if (!n8n.isBuiltInRole(role) && !n8n.roleService.isRoleLicensed(role))
    throw refuse(`Role '${role}' is not available in the current license`);
}

/**
 * A unique-constraint violation from n8n's database (TypeORM's QueryFailedError carries the driver's
 * code): Postgres `23505`, SQLite `SQLITE_CONSTRAINT` on a UNIQUE or PRIMARY KEY. Another login created
 * the user or the binding first; anything else (NOT NULL, a lost connection) is a real failure.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, message } = error as {
    code?: unknown;
    driverError?: { code?: unknown };
    message?: unknown;
  };
  const driverCode = driverError?.code ?? code;
  if (driverCode === '23505') return true;
  return (
    typeof driverCode === 'string' &&
    driverCode.startsWith('SQLITE_CONSTRAINT') &&
    typeof message === 'string' &&
    /\b(UNIQUE|PRIMARY KEY) constraint failed\b/.test(message)
  );
}

/** n8n's users and `auth_identity` rows as the identity resolver's store. */
export function createN8nIdentityStore(n8n: N8nInternals): IdentityStore<N8nUser> {
  return {
    async findByIdentity(issuer, sub) {
      const identity = await n8n.authIdentities.findOne({
        where: { providerId: await qualifiedProviderId(issuer, sub), providerType: PROVIDER_TYPE },
        relations: { user: { role: true } },
      });
      return identity?.user ?? null;
    },
    findByEmail: (email) => n8n.users.findOne({ where: { email }, relations: ['role'] }),
    async linkIdentity(user, { issuer, sub }) {
      await n8n.authIdentities.save(
        n8n.AuthIdentity.create(user, await qualifiedProviderId(issuer, sub), PROVIDER_TYPE),
      );
    },
    async createUser(profile: NewUser) {
      await assertAssignable(n8n, profile.role);
      const providerId = await qualifiedProviderId(profile.issuer, profile.sub);
      // As n8n's module: the user, its personal project and the binding in one transaction.
      return n8n.users.manager.transaction(async (manager) => {
        const { user } = await n8n.users.createUserWithProject(
          {
            email: profile.email,
            firstName: profile.firstName,
            lastName: profile.lastName,
            role: { slug: profile.role },
            password: NO_PASSWORD,
          },
          manager,
        );
        await manager.save(
          manager.create(n8n.AuthIdentity, {
            providerId,
            providerType: PROVIDER_TYPE,
            userId: user.id,
          }),
        );
        return user;
      });
    },
    roleOf: (user) => user.role?.slug ?? '',
    // n8n refuses a disabled user's session later; the resolver refuses it before anything is written.
    isDisabled: (user) => user.disabled === true,
    isConflict: isUniqueViolation,
  };
}
