// Logins inside a real n8n 2.41.1 (issue 16, item 3): our hooks adapter's /rest/auth/embed for a user
// who logged in before, a first login (creating the user), and n8n's own POST /rest/login (email and
// password, bcrypt) on the same instance, one request at a time from autocannon in its own process.
// Uses the cached peer of `npm run test:n8n` (skipped, with one line, when it is not installed) and
// builds the hooks file n8n loads, as that script does. Run: npm run bench -- n8n
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBED_LOGIN_PATH } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_ISSUER } from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import { CORES, expectStatuses, printLoad, runLoad } from '../../../bench/http-load.js';
import { reportRatio, reportValue } from '../../../bench/measure.js';
import { N8N_VERSION, n8nRoot, node24, peerCache } from '../test/n8n/support/n8n-peer.js';
import { OWNER, type RunningN8n, setUpOwner, startN8n } from '../test/n8n/support/n8n-process.js';
import { PEER_TRUSTED_KEYS, PORTAL_PRIVATE_JWK } from '../test/n8n/support/peer-keys.js';

const REPEAT = Number(process.env.BENCH_N8N_REPEAT ?? 300);
const FIRST = Number(process.env.BENCH_N8N_FIRST ?? 150);
const PASSWORD = Number(process.env.BENCH_N8N_PASSWORD ?? 100);
/** n8n allows 5 password logins per minute and email: each password user logs in at most 4 times. */
const PER_PASSWORD_USER = 4;
const USER_PASSWORD = 'Bench-password-1';

function peerInstalled(): boolean {
  try {
    n8nRoot();
    return existsSync(node24());
  } catch {
    return false;
  }
}

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

/** Password users for n8n's own login: invited by the owner, each invitation accepted with a password. */
async function passwordUsers(url: string, count: number): Promise<string[]> {
  const login = await check(
    await fetch(`${url}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
    }),
    'owner login',
  );
  const cookie = login.headers
    .getSetCookie()
    .find((line) => line.startsWith('n8n-auth='))
    ?.split(';')[0];
  if (cookie === undefined) throw new Error('owner login set no session cookie');
  const emails = Array.from({ length: count }, (_, i) => `bench-${i}@n8n-embed.test`);
  const invited = await check(
    await fetch(`${url}/rest/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(emails.map((email) => ({ email, role: 'global:member' }))),
    }),
    'invitations',
  );
  const { data } = (await invited.json()) as { data: { user: { inviteAcceptUrl?: string } }[] };
  for (const [i, { user }] of data.entries()) {
    const token = user.inviteAcceptUrl && new URL(user.inviteAcceptUrl).searchParams.get('token');
    if (!token) throw new Error('n8n gave no invitation link');
    await check(
      await fetch(`${url}/rest/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, firstName: 'Bench', lastName: `User ${i}`, password: USER_PASSWORD }),
      }),
      'accepting an invitation',
    );
  }
  return emails;
}

async function measure(n8n: RunningN8n): Promise<void> {
  const portal = await createLoginSigner({
    privateKey: PORTAL_PRIVATE_JWK,
    kid: 'portal-es256',
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
    lifetimeSeconds: 60,
  });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const embedUrl = `${n8n.url}${EMBED_LOGIN_PATH}`;
  const returning = { sub: 'bench-returning', email: 'returning@portal.test', emailVerified: true };
  let newcomer = 0;
  const repeatBodies = async (count: number) =>
    Promise.all(Array.from({ length: count }, async () => `token=${await portal.mint(returning)}`));
  const firstBodies = async (count: number) =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const n = newcomer++;
        return `token=${await portal.mint({ sub: `bench-new-${n}`, email: `new-${n}@portal.test`, emailVerified: true })}`;
      }),
    );
  const sequential = (url: string, headers: Record<string, string>, bodies: string[]) =>
    runLoad({ url, headers, bodies, connections: 1, amount: bodies.length, timeoutSeconds: 30 });

  const emails = await passwordUsers(n8n.url, Math.ceil(PASSWORD / PER_PASSWORD_USER) + 2);
  const passwordBody = (email: string) =>
    JSON.stringify({ emailOrLdapLoginId: email, password: USER_PASSWORD });
  // Warm-up, each kind a few times (the returning user's first login creates it). The two spare
  // password users take the warm-up, so no measured user passes n8n's limit of 5 a minute.
  expectStatuses('warm-up, embed', await sequential(embedUrl, form, await repeatBodies(20)), [302]);
  expectStatuses('warm-up, first login', await sequential(embedUrl, form, await firstBodies(10)), [302]);
  const spare = emails.slice(-2).flatMap((email) => [passwordBody(email), passwordBody(email)]);
  expectStatuses(
    'warm-up, password',
    await sequential(`${n8n.url}/rest/login`, { 'content-type': 'application/json' }, spare),
    [200],
  );

  const repeat = await sequential(embedUrl, form, await repeatBodies(REPEAT));
  const first = await sequential(embedUrl, form, await firstBodies(FIRST));
  const measured = emails.slice(0, -2);
  const passwordBodies = Array.from({ length: PASSWORD }, (_, i) =>
    passwordBody(measured[i % measured.length] ?? ''),
  );
  const password = await sequential(
    `${n8n.url}/rest/login`,
    { 'content-type': 'application/json' },
    passwordBodies,
  );
  expectStatuses('embed login, returning user', repeat, [302]);
  expectStatuses('embed login, first', first, [302]);
  expectStatuses('password login', password, [200]);

  console.log(`\n# logins inside n8n ${N8N_VERSION}, one request at a time (n8n's SQLite)`);
  printLoad('embed login, returning user', repeat);
  printLoad('embed login, first (creates the user)', first);
  printLoad("n8n's POST /rest/login (email + password)", password);
  reportRatio('n8n password login / repeat embed login (p50 cost)', password.p50Ms / repeat.p50Ms, {
    atLeast: 10,
  });
  reportRatio('n8n password login / first embed login (p50 cost)', password.p50Ms / first.p50Ms);
  reportValue('repeat embed login inside n8n, p99', repeat.p99Ms, 'ms', { atMost: 100 });
  reportValue('first embed login inside n8n, p99', first.p99Ms, 'ms', { atMost: 100 });
}

if (!peerInstalled()) {
  console.log(
    `n8n ${N8N_VERSION} is not installed in ${peerCache()}: skipped (npm run test:n8n installs it)`,
  );
} else {
  // The hooks file n8n loads is the built package (dist/n8n.js), as in npm run test:n8n; turbo builds
  // the packages it depends on first.
  const build = spawnSync(
    'npx',
    ['turbo', 'run', 'build', '--filter=@n8n-embed/verifier', '--output-logs=errors-only'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (build.status !== 0) throw new Error('building the hooks file failed');
  const keysFolder = mkdtempSync(join(tmpdir(), 'n8n-embed-bench-keys-'));
  const keysFile = join(keysFolder, 'trusted-keys.json');
  writeFileSync(keysFile, JSON.stringify(PEER_TRUSTED_KEYS));
  // Our endpoint's limit of 20 logins a minute per client is raised: the bench is one client.
  const n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: keysFile,
    N8N_EMBED_PORTAL_ORIGINS: 'https://portal.example.com',
    N8N_TOKEN_EXCHANGE_EMBED_LOGIN_PER_MINUTE: '1000000',
  });
  try {
    const served = /n8n-embed: the adapter serves [^\n"]*/.exec(n8n.log())?.[0];
    console.log(
      `n8n ${N8N_VERSION} under Node 24, ${CORES} cores shared with the load generator; ${served ?? ''}`,
    );
    await setUpOwner(n8n.url);
    await measure(n8n);
  } finally {
    await n8n.stop();
    rmSync(keysFolder, { recursive: true, force: true });
  }
}
