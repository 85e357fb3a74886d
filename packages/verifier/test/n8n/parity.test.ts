// Parity with n8n's own verification: every vector and every security.md case, plus the identity
// policy, through n8n 2.41.1's compiled TokenExchangeService (with its real TrustedKeyService,
// JtiStoreService and IdentityResolutionService over in-memory storage) and through our verifier
// (profile `n8n`) with the adapter's identity store. Same verdict and message for every case, except
// the differences listed below, each with its reason; a new difference, or a listed one that went
// away, fails the test.
import { isEmbedLoginError, safeRedirectPath } from '@n8n-embed/protocol';
import { VECTOR_NOW_MS, VECTORS } from '@n8n-embed/protocol/vectors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIdentityResolver, createVerifier } from '../../src/index.js';
import { createN8nIdentityStore } from '../../src/n8n/n8n-identity-store.js';
import type { N8nInternals, N8nUser } from '../../src/n8n/n8n-types.js';
import { KNOWN_DIFFERENCES } from './support/known-differences.js';
import { type MemoryN8nDb, memoryN8nDb } from './support/memory-n8n-db.js';
import {
  AuthIdentity,
  isBuiltInRole,
  type N8nOutcome,
  n8nTokenExchange,
  validateRedirectUrl,
} from './support/n8n-token-exchange.js';
import {
  identityCases,
  PARITY_TRUSTED_KEYS,
  type ParityCase,
  SEED_USERS,
  securityCases,
} from './support/parity-cases.js';

type Outcome = Pick<N8nOutcome, 'status' | 'message' | 'user'>;

async function ours(db: MemoryN8nDb) {
  const verifier = await createVerifier({
    trustedKeys: PARITY_TRUSTED_KEYS,
    profile: 'n8n',
    now: () => VECTOR_NOW_MS,
  });
  const store = createN8nIdentityStore({
    users: db.userRepository,
    authIdentities: db.authIdentityRepository,
    AuthIdentity,
    roleService: db.roleService,
    isBuiltInRole,
  } as unknown as N8nInternals);
  const resolve = createIdentityResolver(store);
  return async (token: string): Promise<Outcome> => {
    try {
      const user = await resolve(await verifier.verify(token));
      return { status: 302, message: '', user: { email: user.email, role: store.roleOf(user as N8nUser) } };
    } catch (error) {
      if (!isEmbedLoginError(error)) throw error;
      return { status: error.status, message: error.message };
    }
  };
}

/** n8n's 500 on a claim that fails its schema counts as the rejection we answer with 401. */
const normalized = (outcome: N8nOutcome): Outcome =>
  outcome.schemaFailure
    ? { status: 401, message: 'Token claims are invalid' }
    : { status: outcome.status, message: outcome.message, ...(outcome.user ? { user: outcome.user } : {}) };

async function run(testCase: ParityCase): Promise<{ n8n: Outcome[]; ours: Outcome[] }> {
  const theirs = n8nTokenExchange(PARITY_TRUSTED_KEYS, memoryN8nDb(SEED_USERS));
  const mine = await ours(memoryN8nDb(SEED_USERS));
  if (testCase.parallel) {
    const sorted = (outcomes: Outcome[]) => outcomes.map((o) => JSON.stringify(o)).sort();
    const n8n = await Promise.all(testCase.tokens.map((token) => theirs.embedLogin(token)));
    const our = await Promise.all(testCase.tokens.map((token) => mine(token)));
    return {
      n8n: sorted(n8n.map(normalized)).map((o) => JSON.parse(o)),
      ours: sorted(our).map((o) => JSON.parse(o)),
    };
  }
  const n8n: Outcome[] = [];
  const our: Outcome[] = [];
  for (const token of testCase.tokens) {
    n8n.push(normalized(await theirs.embedLogin(token)));
    our.push(await mine(token));
  }
  return { n8n, ours: our };
}

const vectorCases: ParityCase[] = VECTORS.map((vector) => ({
  name: `vector: ${vector.name}`,
  tokens: [vector.token],
}));
const cases = [
  ...vectorCases,
  ...securityCases().map((c) => ({ ...c, name: `security: ${c.name}` })),
  ...identityCases().map((c) => ({ ...c, name: `identity: ${c.name}` })),
];

beforeAll(() => {
  // n8n's jsonwebtoken reads the wall clock; the vectors are signed for VECTOR_NOW_MS.
  vi.useFakeTimers({ now: VECTOR_NOW_MS, toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe('n8n 2.41.1 TokenExchangeService.embedLogin vs our verifier (profile n8n) + identity store', () => {
  it.each(cases)('$name', async (testCase) => {
    const { n8n, ours: our } = await run(testCase);
    const known = KNOWN_DIFFERENCES[testCase.name];
    if (known === undefined) {
      expect(our).toEqual(n8n);
    } else {
      expect(our).not.toEqual(n8n);
      expect({ n8n: n8n.at(-1), ours: our.at(-1) }).toEqual(known.outcomes);
    }
  });

  it('lists no difference for a case that does not exist', () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(KNOWN_DIFFERENCES).filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('redirectTo: n8n 2.41.1 validateRedirectUrl vs our safeRedirectPath', () => {
  const long = `/${'a'.repeat(4999)}`;
  const redirects: Array<[string, string, string]> = [
    // [input, n8n's path, ours]: ours refuses REST/auth targets, over-long input and backslashes.
    ['https://evil.com', '/', '/'],
    ['//evil.com', '/', '/'],
    ['/\\evil.com', '/\\evil.com', '/'],
    ['/%0d%0aSet-Cookie:a=b', '/%0d%0aSet-Cookie:a=b', '/'],
    ['/rest/logout', '/rest/logout', '/'],
    ['/rest/auth/embed?token=x', '/rest/auth/embed?token=x', '/'],
    ['/workflow/1', '/workflow/1', '/workflow/1'],
    [long, long, '/'],
    // A first segment that reads as a scheme: n8n passes it through (and its own module then joins it
    // onto the base URL); ours refuses it, so a login never leaves n8n (issue 9, item 1).
    ['/https://evil.example/phish', '/https://evil.example/phish', '/'],
    ['/javascript:alert(1)', '/javascript:alert(1)', '/'],
    ['/https:%2f%2fevil.example', '/https:%2f%2fevil.example', '/'],
  ];
  const named = redirects.map(([input, n8nPath, ourPath]) => ({
    name: input === long ? '5000 chars' : input,
    input,
    n8nPath,
    ourPath,
  }));
  it.each(named)('$name', ({ input, n8nPath, ourPath }) => {
    expect(validateRedirectUrl(input)).toBe(n8nPath);
    expect(safeRedirectPath(input, { basePath: '/' })).toBe(ourPath);
  });
});
