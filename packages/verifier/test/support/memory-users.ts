import type { IdentityStore } from '../../src/index.js';

interface User {
  id: string;
  email: string;
  role: string;
  firstName?: string;
  lastName?: string;
  identities: string[];
}

/** The host's user table for tests: a real (in-memory) implementation of the IdentityStore. */
export function memoryUsers(seed: { email: string; role: string }[] = []): {
  store: IdentityStore<User>;
  count(): number;
} {
  const users: User[] = [];
  const add = (user: Omit<User, 'id' | 'identities'>, identities: string[] = []): User => {
    const created = { ...user, id: String(users.length + 1), identities };
    users.push(created);
    return created;
  };
  for (const user of seed) add(user);
  const identity = (issuer: string, sub: string) => JSON.stringify([issuer, sub]);
  return {
    count: () => users.length,
    store: {
      findByIdentity: async (issuer, sub) =>
        users.find((user) => user.identities.includes(identity(issuer, sub))) ?? null,
      findByEmail: async (email) => users.find((user) => user.email.toLowerCase() === email) ?? null,
      linkIdentity: async (user, { issuer, sub }) => {
        user.identities.push(identity(issuer, sub));
      },
      createUser: async ({ issuer, sub, ...profile }) => add(profile, [identity(issuer, sub)]),
      roleOf: (user) => user.role,
    },
  };
}
