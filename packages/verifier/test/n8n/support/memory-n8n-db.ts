// In-memory stand-ins for the repositories n8n's identity code uses (TypeORM-shaped, only the calls it
// makes). One instance backs n8n's own IdentityResolutionService or our adapter's identity store, so
// both sides of the parity test start from the same users.

export interface MemoryUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: { slug: string };
  password: string | null;
}

export interface MemoryIdentity {
  providerId: string;
  providerType: string;
  userId: string;
}

type Where = Record<string, unknown>;
const matches = (row: object, where: Where) =>
  Object.entries(where).every(([key, value]) => (row as Record<string, unknown>)[key] === value);

export const GLOBAL_ROLES = ['global:owner', 'global:admin', 'global:member', 'global:chatUser'];

export function memoryN8nDb(seed: Array<Pick<MemoryUser, 'email' | 'role'>>) {
  const users: MemoryUser[] = [];
  const identities: MemoryIdentity[] = [];
  const addUser = (values: Partial<MemoryUser>): MemoryUser => {
    const user: MemoryUser = {
      id: `user-${users.length + 1}`,
      email: values.email ?? '',
      firstName: values.firstName ?? '',
      lastName: values.lastName ?? '',
      role: { slug: values.role?.slug ?? 'global:member' },
      password: values.password ?? null,
    };
    users.push(user);
    return user;
  };
  for (const user of seed) addUser(user);
  const userById = (id: string) => users.find((user) => user.id === id) ?? null;
  const saveEntity = async (entity: unknown) => {
    const row = entity as Record<string, unknown>;
    if ('providerType' in row) {
      const identity = {
        providerId: row.providerId as string,
        providerType: row.providerType as string,
        userId: (row.userId ?? (row.user as MemoryUser).id) as string,
      };
      if (
        identities.some((other) =>
          matches(other, { providerId: identity.providerId, providerType: identity.providerType }),
        )
      )
        throw new Error('duplicate auth_identity');
      identities.push(identity);
    }
    return entity;
  };
  const manager = {
    create: (_entity: unknown, values: Record<string, unknown>) => ({ ...values }),
    save: saveEntity,
  };
  const userRepository = {
    findOne: async ({ where }: { where: Where }) => users.find((user) => matches(user, where)) ?? null,
    findOneOrFail: async ({ where }: { where: Where }) => {
      const user = users.find((candidate) => matches(candidate, where));
      if (!user) throw new Error('no user');
      return user;
    },
    update: async (id: string, values: Partial<MemoryUser>) => {
      Object.assign(userById(id) ?? {}, values);
    },
    createUserWithProject: async (values: Partial<MemoryUser>, _manager: unknown) => {
      if (users.some((user) => user.email === values.email)) throw new Error('duplicate email');
      return { user: addUser(values) };
    },
    manager: { transaction: <T>(run: (trx: typeof manager) => Promise<T>) => run(manager) },
  };
  const authIdentityRepository = {
    findOne: async ({ where }: { where: Where }) => {
      const identity = identities.find((candidate) => matches(candidate, where));
      return identity ? { ...identity, user: userById(identity.userId) } : null;
    },
    update: async (where: Where, values: Partial<MemoryIdentity>) => {
      for (const identity of identities) if (matches(identity, where)) Object.assign(identity, values);
    },
    save: saveEntity,
  };
  const roleService = {
    isGlobalRole: async (slug: string) => GLOBAL_ROLES.includes(slug),
    isRoleLicensed: (_slug: string) => false,
  };
  const userService = {
    changeUserRole: async (user: MemoryUser, { newRoleName }: { newRoleName: string }) => {
      const stored = userById(user.id);
      if (stored) stored.role = { slug: newRoleName };
    },
  };
  return { users, identities, userRepository, authIdentityRepository, roleService, userService };
}

export type MemoryN8nDb = ReturnType<typeof memoryN8nDb>;
