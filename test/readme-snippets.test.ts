// Every TypeScript block of the READMEs runs, as written, as a user's module: each block is written
// to a temporary project next to a prelude that defines what the README leaves to the reader (a key,
// a user store, a token), and run under Node with tsx. A new block without a prelude here fails.
// Code for the browser is fenced ```ts browser: it needs a page, and its package's browser tests run it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../packages/verifier/test/support/redis-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const READMES = [
  'README.md',
  'packages/protocol/README.md',
  'packages/sdk/README.md',
  'packages/verifier/README.md',
  'packages/cli/README.md',
];

/** The ```ts blocks of a README, in order. */
function blocks(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

// What the reader brings: a key pair (kid portal-2026-11, as the READMEs name it), n8n's trusted-keys
// JSON for it, a user, a store of users, a session cookie.
const KEYS = `
import { generateKeyPair as __generate, trustedKeyEntry as __entry } from '@n8n-embed/sdk';
import { mkdirSync as __mkdir, writeFileSync as __write } from 'node:fs';
const __pair = await __generate({ kid: 'portal-2026-11' });
const privateKey = __pair.privateJwk;
__mkdir('keys', { recursive: true });
__write('keys/portal.private.jwk', JSON.stringify(privateKey));
const __trusted = JSON.stringify([await __entry({ publicJwk: __pair.publicJwk, issuer: 'https://portal.example.com', audience: 'https://n8n.example.com' })]);
if (process.env.SNIPPET_UNSET_TRUSTED_KEYS) delete process.env.N8N_TOKEN_EXCHANGE_TRUSTED_KEYS;
else process.env.N8N_TOKEN_EXCHANGE_TRUSTED_KEYS = __trusted;
const user = { id: 'u-1', email: 'ada@example.com' };
`;
const TOKEN = `
import { createLoginSigner as __signer } from '@n8n-embed/sdk';
const token = await (await __signer({ privateKey, kid: 'portal-2026-11', issuer: 'https://portal.example.com', audience: 'https://n8n.example.com' })).mint({ sub: 'u-1', email: 'ada@example.com', emailVerified: true });
const __users: { email: string; role: string }[] = [];
const myUserStore = {
  findByIdentity: async () => null,
  findByEmail: async (email: string) => __users.find((u) => u.email === email) ?? null,
  linkIdentity: async () => {},
  createUser: async ({ email, role }: { email: string; role: string }) => { const u = { email, role }; __users.push(u); return u; },
  roleOf: (u: { role: string }) => u.role,
};
const sessionCookieFor = (u: { email: string }) => \`session=\${encodeURIComponent(u.email)}\`;
`;

interface Harness {
  readonly prelude: string;
  /** Appended: checks the block's result where it has one, then ends the process. */
  readonly epilogue: string;
  readonly env?: () => Record<string, string>;
}

let redis: RedisServer | undefined;
const HARNESS: Record<string, Harness> = {
  'README.md#0': {
    prelude: KEYS,
    epilogue: `if (!loginPage.body.includes('method="post"')) throw new Error('no form');`,
  },
  'packages/protocol/README.md#0': {
    prelude: `${KEYS}
const claims = { iss: 'https://portal.example.com', sub: 'u-1', aud: 'https://n8n.example.com', iat: 1, exp: 31, jti: 'j'.repeat(22) };`,
    epilogue: `if (keys.length !== 1) throw new Error('keys');`,
  },
  'packages/sdk/README.md#0': {
    prelude: `${KEYS}
const currentPortalUser = async (_request: Request) => ({ sub: 'u-1', email: 'ada@example.com', emailVerified: true });`,
    epilogue: `const __page = await route(new Request('https://portal.example.com/?redirectTo=/home/workflows'));
if (__page.status !== 200 || !(await __page.text()).includes('name="token"')) throw new Error('route');
process.exit(0);`,
  },
  'packages/verifier/README.md#0': {
    prelude: `${KEYS}${TOKEN}`,
    epilogue: `if (claims.sub !== 'u-1' || kid !== 'portal-2026-11' || issuer !== 'https://portal.example.com') throw new Error('verify');
const __login = await handler(new Request('https://n8n.example.com/rest/auth/embed', { method: 'POST', body: new URLSearchParams({ token: await (await __signer({ privateKey, kid: 'portal-2026-11', issuer: 'https://portal.example.com', audience: 'https://n8n.example.com' })).mint({ sub: 'u-2', email: 'grace@example.com', emailVerified: true }) }) }));
if (__login.status !== 302 || !__login.headers.get('set-cookie')?.startsWith('session=grace')) throw new Error(\`login \${__login.status}\`);
process.exit(0);`,
  },
  'packages/verifier/README.md#1': {
    prelude: `const logger = { warn: (message: string) => console.error(message) };`,
    epilogue: `const __entry = { key: 'a'.repeat(64), expiresAt: Date.now() + 60_000, now: Date.now() };
if ((await replayStore.consume(__entry)) !== true || (await replayStore.consume(__entry)) !== false) throw new Error('consume');
await replayStore.close?.();
process.exit(0);`,
    env: () => ({ EMBED_REDIS_URL: redis?.url ?? '' }),
  },
};

const project = mkdtempSync(join(tmpdir(), 'n8n-embed-readme-'));
symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');

function runSnippet(
  name: string,
  code: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const file = join(project, `${name.replace(/\W+/g, '-')}.ts`);
  writeFileSync(file, code);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--conditions=@n8n-embed/source', '--import', 'tsx', file],
      { cwd: project, timeout: 30_000, env: { ...process.env, ...env } },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

/** The block as a user would paste it; a fixed port becomes a free one. */
function program(name: string, block: string): string {
  const harness = HARNESS[name];
  if (!harness)
    throw new Error(
      `${name}: add its prelude to test/readme-snippets.test.ts (or fence browser code as \`\`\`ts browser)`,
    );
  return `${harness.prelude}\n${block.replace(/\.listen\(\d+,/g, '.listen(0,')}\n${harness.epilogue}\n`;
}

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const all = READMES.flatMap((file) =>
  blocks(file).map((block, index) => [`${file}#${index}`, block] as const),
);

describe('README TypeScript blocks', () => {
  it('each has a prelude here', () => {
    expect(all.map(([name]) => name).sort()).toEqual(Object.keys(HARNESS).sort());
  });

  it.each(all)(
    '%s runs as written',
    async (name, block) => {
      const result = await runSnippet(name, program(name, block), HARNESS[name]?.env?.() ?? {});
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    40_000,
  );

  it('the verifier README block with N8N_TOKEN_EXCHANGE_TRUSTED_KEYS unset: config_invalid naming it', async () => {
    const name = 'packages/verifier/README.md#0';
    const block = all.find(([candidate]) => candidate === name)?.[1] ?? '';
    const result = await runSnippet(`${name}-unset`, program(name, block), {
      SNIPPET_UNSET_TRUSTED_KEYS: '1',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /EmbedLoginError.*trustedKeys is required.*N8N_TOKEN_EXCHANGE_TRUSTED_KEYS/,
    );
    expect(result.stderr).toMatch(/ERR_EMBED_CONFIG_INVALID|config_invalid/);
    expect(result.stderr).not.toMatch(/TypeError/);
  }, 40_000);
});
