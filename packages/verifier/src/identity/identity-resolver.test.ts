import { isEmbedLoginError, type VerifiedLoginClaims } from '@n8n-embed/protocol';
import { describe, expect, it } from 'vitest';
import { memoryUsers } from '../../test/support/memory-users.js';
import type { KeyPolicy, VerifiedToken } from '../types.js';
import { createIdentityResolver } from './identity-resolver.js';

const ISSUER = 'https://portal.example.com';

function token(claims: Partial<VerifiedLoginClaims>, policy: Partial<KeyPolicy> = {}): VerifiedToken {
  return {
    claims: { iss: ISSUER, sub: 's', aud: 'a', iat: 1, exp: 2, jti: 'j', ...claims } as VerifiedLoginClaims,
    header: { alg: 'ES256' },
    kid: 'k',
    issuer: ISSUER,
    keyPolicy: { requireVerifiedEmail: true, ...policy },
  };
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (isEmbedLoginError(error) && error.reason === 'user_rejected') return error.message;
    throw error;
  }
  throw new Error('expected user_rejected');
}

describe('createIdentityResolver', () => {
  it('provisions with truncated names and the default role, then finds the user by (iss, sub)', async () => {
    const users = memoryUsers();
    const resolve = createIdentityResolver(users.store);
    const name = 'N'.repeat(40);
    const created = await resolve(token({ email: 'A@Example.com', email_verified: true, given_name: name }));
    expect(created).toMatchObject({
      email: 'a@example.com',
      role: 'global:member',
      firstName: 'N'.repeat(32),
    });
    expect(await resolve(token({ email: 'other@example.com' }))).toBe(created);
  });

  it('links an existing user by email only when the email is verified, unless the key allows it', async () => {
    const users = memoryUsers([{ email: 'ada@example.com', role: 'global:admin' }]);
    const resolve = createIdentityResolver(users.store);
    expect(await refusal(resolve(token({ email: 'ada@example.com' })))).toBe('Email is not verified');
    const linked = await resolve(token({ email: 'ada@example.com' }, { requireVerifiedEmail: false }));
    expect(linked).toMatchObject({ role: 'global:admin' });
    expect(users.count()).toBe(1);
  });

  it('caps roles with allowedRoles and never resolves the owner', async () => {
    const users = memoryUsers([
      { email: 'admin@example.com', role: 'global:admin' },
      { email: 'owner@example.com', role: 'global:owner' },
    ]);
    const resolve = createIdentityResolver(users.store);
    const members = { allowedRoles: ['global:member'] };
    expect(await refusal(resolve(token({ email: 'admin@example.com', email_verified: true }, members)))).toBe(
      'User role is not allowed for this key',
    );
    expect(
      await refusal(resolve(token({ sub: 'o', email: 'owner@example.com', email_verified: true }))),
    ).toBe('User role is not allowed for this key');
    expect(
      await refusal(
        resolve(
          token({ sub: 'n', email: 'n@example.com', email_verified: true, role: 'global:admin' }, members),
        ),
      ),
    ).toBe("Role 'global:admin' is not allowed for this token exchange key");
    expect(
      await refusal(
        resolve(token({ sub: 'm', email: 'm@example.com', email_verified: true, role: 'global:owner' })),
      ),
    ).toBe('Cannot provision global:owner role via token exchange');
  });

  it('on a conflict (another login created or linked first) looks again and continues; other errors propagate', async () => {
    const users = memoryUsers();
    const conflict = Object.assign(new Error('UNIQUE constraint failed: user.email'), { conflict: true });
    // The other login wins the race: its user exists by the time ours is written, and ours conflicts.
    const racing = {
      ...users.store,
      createUser: async (profile: Parameters<typeof users.store.createUser>[0]) => {
        await users.store.createUser(profile);
        throw conflict;
      },
      isConflict: (error: unknown) => error === conflict,
    };
    const resolved = await createIdentityResolver(racing)(
      token({ email: 'a@example.com', email_verified: true }),
    );
    expect(resolved).toMatchObject({ email: 'a@example.com' });
    expect(users.count()).toBe(1);

    const broken = new Error('disk I/O error');
    const failing = { ...racing, createUser: async () => Promise.reject(broken) };
    await expect(
      createIdentityResolver(failing)(token({ sub: 'b', email: 'b@example.com', email_verified: true })),
    ).rejects.toBe(broken);
    // A store that keeps conflicting is not retried forever.
    const endless = { ...racing, findByIdentity: async () => null, findByEmail: async () => null };
    await expect(
      createIdentityResolver(endless)(token({ sub: 'c', email: 'c@example.com', email_verified: true })),
    ).rejects.toBe(conflict);
  });

  it('refuses a disabled user, bound or found by email, before linking anything', async () => {
    const users = memoryUsers([{ email: 'off@example.com', role: 'global:member' }]);
    const disabled = new Set<string>(['off@example.com']);
    const store = { ...users.store, isDisabled: (user: { email: string }) => disabled.has(user.email) };
    const resolve = createIdentityResolver(store);
    // Found by email: refused, and (iss, sub) stays unbound.
    expect(
      await refusal(resolve(token({ sub: 'off', email: 'off@example.com', email_verified: true }))),
    ).toBe('User is not allowed to log in');
    expect(await users.store.findByIdentity(ISSUER, 'off')).toBeNull();
    // Bound by an earlier login, then disabled: refused.
    const bound = await resolve(token({ sub: 'on', email: 'on@example.com', email_verified: true }));
    expect(bound).toMatchObject({ email: 'on@example.com' });
    disabled.add('on@example.com');
    expect(await refusal(resolve(token({ sub: 'on', email: 'on@example.com', email_verified: true })))).toBe(
      'User is not allowed to log in',
    );
  });
});
