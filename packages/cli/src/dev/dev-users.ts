import type { IdentityStore } from '@n8n-embed/verifier';

export interface DevUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly role: string;
}

/** The dev endpoint's users and their (iss, sub) bindings, in memory, as n8n would keep them. */
export function createDevUsers(): IdentityStore<DevUser> {
  const users: DevUser[] = [];
  const bindings = new Map<string, DevUser>();
  const binding = (issuer: string, sub: string) => JSON.stringify([issuer, sub]);
  return {
    findByIdentity: async (issuer, sub) => bindings.get(binding(issuer, sub)) ?? null,
    findByEmail: async (email) => users.find((user) => user.email === email) ?? null,
    linkIdentity: async (user, { issuer, sub }) => {
      bindings.set(binding(issuer, sub), user);
    },
    createUser: async ({ issuer, sub, email, firstName, lastName, role }) => {
      const user = { id: String(users.length + 1), email, firstName, lastName, role };
      users.push(user);
      bindings.set(binding(issuer, sub), user);
      return user;
    },
    roleOf: (user) => user.role,
  };
}
