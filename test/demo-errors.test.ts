// `npm run demo` on a machine where something is off: a busy port (n8n users have n8n on 5678), a
// mistyped variable. Each is one line naming the port or variable, exit 1, no stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function demo(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--conditions=@n8n-embed/source', '--import', 'tsx', 'scripts/demo.ts'],
      {
        cwd: root,
        timeout: 30_000,
        env: { ...process.env, DEMO_DIR: mkdtempSync(join(tmpdir(), 'n8n-embed-demo-')), ...env },
      },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

it.each([
  ['DEMO_N8N_PORT', 'n8n-embed dev'],
  ['DEMO_PORTAL_PORT', 'the portal'],
])(
  'a busy %s is one line naming the port and the variable',
  async (variable, who) => {
    const other = variable === 'DEMO_N8N_PORT' ? 'DEMO_PORTAL_PORT' : 'DEMO_N8N_PORT';
    const { code, stderr } = await demo({ [variable]: String(busyPort), [other]: '0' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `demo: port ${busyPort} (${who}) is in use; set ${variable} to another port, or ${variable}=0 for a free one\n`,
    );
  },
  40_000,
);

it.each([
  [{ N8N_URL: 'not-a-url' }, /^demo: N8N_URL="not-a-url" is not an http\(s\) URL/],
  [{ DEMO_PORTAL_PORT: 'abc' }, /^demo: DEMO_PORTAL_PORT="abc" is not a port/],
  [{ DEMO_N8N_PORT: '70000' }, /^demo: DEMO_N8N_PORT="70000" is not a port/],
])(
  'a configuration mistake (%o) is one line',
  async (env, message) => {
    const { code, stderr } = await demo(env);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  },
  40_000,
);
