// `npm run demo -- --n8n`: the real n8n 2.41.1 behind the example portal. Installs (or reuses) the
// cached n8n and Node 24 (scripts/install-n8n-peer.sh, as `npm run test:n8n` does), builds the
// adapter's hooks file, and starts n8n on a free port in a fresh folder, with examples/n8n-hooks'
// hooks file and the settings its README gives for a portal's frame: the trusted keys the CLI wrote,
// the portal origins, frame-ancestors, and the bridge. The instance owner is created with a random
// password, written to <DEMO_DIR>/n8n-owner.txt (mode 600), not printed: n8n shows its setup screen
// without an owner. Stopped by its PID.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  EXAMPLE_HOOKS_FILE,
  type RunningN8n,
  startN8n,
} from '../packages/verifier/test/n8n/support/n8n-process.js';

const root = resolve(import.meta.dirname, '..');

export interface DemoN8nOptions {
  /** The demo's folder (DEMO_DIR). */
  readonly dir: string;
  readonly trustedKeysFile: string;
  readonly portalOrigins: readonly string[];
  readonly log: (line: string) => void;
  /** More n8n settings (e.g. behind a TLS proxy: N8N_EDITOR_BASE_URL, N8N_SAMESITE_COOKIE=none). */
  readonly env?: Readonly<Record<string, string>>;
}

function step(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
  return result.stdout.trim();
}

export async function startDemoN8n(options: DemoN8nOptions): Promise<RunningN8n & { ownerFile: string }> {
  options.log('n8n: installing or reusing the cached n8n 2.41.1 (several minutes the first time)…');
  const cache = step('bash', ['scripts/install-n8n-peer.sh'], 'installing n8n');
  process.env.N8N_EMBED_CACHE = cache;
  options.log('n8n: building the hooks adapter…');
  step(
    'npm',
    ['run', 'build', '--silent', '-w', '@n8n-embed/protocol', '-w', '@n8n-embed/verifier'],
    'building',
  );
  options.log('n8n: starting (about a minute)…');
  const n8n = await startN8n({
    N8N_EMBED_LOGIN_ENABLED: 'true',
    N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE: options.trustedKeysFile,
    N8N_EMBED_PORTAL_ORIGINS: options.portalOrigins.join(','),
    N8N_CONTENT_SECURITY_POLICY: JSON.stringify({ 'frame-ancestors': options.portalOrigins }),
    N8N_POSTMESSAGE_ALLOWED_ORIGINS: options.portalOrigins.join(','),
    EXTERNAL_FRONTEND_HOOKS_URLS: '/rest/auth/embed/bridge.js',
    EXTERNAL_HOOK_FILES: EXAMPLE_HOOKS_FILE,
    ...options.env,
  });
  const owner = { email: 'owner@n8n-embed.demo', firstName: 'Demo', lastName: 'Owner' };
  const password = `Demo-${randomBytes(9).toString('base64url')}1`;
  const setup = await fetch(`${n8n.url}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...owner, password }),
  });
  if (!setup.ok) {
    await n8n.stop();
    throw new Error(`n8n owner setup answered ${setup.status}`);
  }
  const ownerFile = join(options.dir, 'n8n-owner.txt');
  writeFileSync(ownerFile, `${owner.email}\n${password}\n`, { mode: 0o600 });
  return Object.assign(n8n, { ownerFile });
}
