import { DEFAULT_ROLE, EmbedLoginError, type N8nReason, OWNER_ROLE } from '@n8n-embed/protocol';
import type { VerifiedToken } from '../types.js';

/** n8n keeps this many characters of a name. */
const MAX_NAME_LENGTH = 32;

/** The host's user storage, as the identity policy needs it. The host owns users; we own the rules. */
export interface IdentityStore<User> {
  /** The user bound to (`issuer`, `sub`) by an earlier login, or null. */
  findByIdentity(issuer: string, sub: string): Promise<User | null>;
  /** The user with this email (already lowercased), or null. */
  findByEmail(email: string): Promise<User | null>;
  /** Binds (`issuer`, `sub`) to an existing user found by email. */
  linkIdentity(user: User, identity: { readonly issuer: string; readonly sub: string }): Promise<void>;
  /** Creates a user with no usable password, bound to (`issuer`, `sub`). Names are already truncated. */
  createUser(profile: NewUser): Promise<User>;
  /** The user's global role, e.g. `global:member`. */
  roleOf(user: User): string;
  /** True when the host has disabled this user: refused before any link, session or success event. */
  isDisabled?(user: User): boolean;
  /**
   * True when `error`, thrown by `createUser` or `linkIdentity`, says another login created or linked
   * the same user first (a unique-constraint conflict). The resolver then looks again and continues,
   * so simultaneous first logins of one user all sign in that one user. Without it, such an error is a
   * host failure.
   */
  isConflict?(error: unknown): boolean;
}

/** Lookups after a conflict: one is enough (the winner has committed); a few allow for chains. */
const MAX_ATTEMPTS = 3;

export interface NewUser {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly role: string;
  readonly issuer: string;
  readonly sub: string;
}

function refuse(message: string, n8nReason: N8nReason, token: VerifiedToken): EmbedLoginError {
  return new EmbedLoginError('user_rejected', { message, n8nReason, kid: token.kid, issuer: token.issuer });
}

/**
 * The identity policy of contract §4 and security.md rule 14, with n8n's messages: a user bound to
 * (`iss`, `sub`) logs in; else a user with the same lowercased email is linked, or a new one is
 * created, both only with `email_verified: true` unless the key says otherwise. The owner is never
 * logged in, and a key's `allowedRoles` caps both the roles of users it may log in as and the role
 * it may assign. Roles of existing users are managed in n8n, not by the token. A user the host has
 * disabled (`isDisabled`) is refused, bound or found by email, before anything is written. A write
 * that conflicts with a simultaneous login of the same user (`isConflict`) is followed by a fresh
 * lookup.
 */
export function createIdentityResolver<User>(
  store: IdentityStore<User>,
): (token: VerifiedToken) => Promise<User> {
  function assertMayActAs(user: User, token: VerifiedToken): User {
    if (store.isDisabled?.(user) === true) {
      throw new EmbedLoginError('user_rejected', {
        detail: 'the user is disabled',
        n8nReason: 'role_not_allowed',
        kid: token.kid,
        issuer: token.issuer,
      });
    }
    const role = store.roleOf(user);
    const allowed = token.keyPolicy.allowedRoles;
    if (role === OWNER_ROLE || (allowed?.length && !allowed.includes(role))) {
      throw refuse('User role is not allowed for this key', 'role_not_allowed', token);
    }
    return user;
  }

  function assertEmailVerified(token: VerifiedToken): void {
    if (token.keyPolicy.requireVerifiedEmail && token.claims.email_verified !== true) {
      throw refuse('Email is not verified', 'email_not_verified', token);
    }
  }

  function roleForNewUser(token: VerifiedToken): string {
    const role = token.claims.role ?? DEFAULT_ROLE;
    if (role === OWNER_ROLE)
      throw refuse('Cannot provision global:owner role via token exchange', 'role_not_allowed', token);
    const allowed = token.keyPolicy.allowedRoles;
    if (token.claims.role !== undefined && allowed?.length && !allowed.includes(role)) {
      throw refuse(`Role '${role}' is not allowed for this token exchange key`, 'role_not_allowed', token);
    }
    return role;
  }

  /** Runs a write; on a conflict (someone else wrote first) resolves afresh instead. */
  async function orLookAgain(
    write: () => Promise<User>,
    token: VerifiedToken,
    attempt: number,
  ): Promise<User> {
    try {
      return await write();
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && store.isConflict?.(error) === true) return resolve(token, attempt + 1);
      throw error;
    }
  }

  async function resolve(token: VerifiedToken, attempt: number): Promise<User> {
    const { claims, issuer } = token;
    const bound = await store.findByIdentity(issuer, claims.sub);
    if (bound !== null) return assertMayActAs(bound, token);

    const email = claims.email?.toLowerCase();
    if (email !== undefined) {
      const existing = await store.findByEmail(email);
      if (existing !== null) {
        assertMayActAs(existing, token);
        assertEmailVerified(token);
        const link = () => store.linkIdentity(existing, { issuer, sub: claims.sub }).then(() => existing);
        return orLookAgain(link, token, attempt);
      }
    }
    if (email === undefined)
      throw refuse('Email claim is required for user provisioning', 'invalid_claims', token);
    assertEmailVerified(token);
    const profile: NewUser = {
      email,
      firstName: (claims.given_name ?? '').slice(0, MAX_NAME_LENGTH),
      lastName: (claims.family_name ?? '').slice(0, MAX_NAME_LENGTH),
      role: roleForNewUser(token),
      issuer,
      sub: claims.sub,
    };
    return orLookAgain(() => store.createUser(profile), token, attempt);
  }

  return (token) => resolve(token, 1);
}
