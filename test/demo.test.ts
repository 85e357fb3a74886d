// `npm run demo` starts the portal and the local endpoint, serves both, signs a user in through the
// portal's routes, and stops cleanly on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('starts both servers, signs Ada in, and stops on SIGINT', async () => {
  const demo = spawn(
    process.execPath,
    ['--conditions=@n8n-embed/source', '--import', 'tsx', 'scripts/demo.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        DEMO_DIR: mkdtempSync(join(tmpdir(), 'n8n-embed-demo-')),
        DEMO_PORTAL_PORT: '0',
        DEMO_N8N_PORT: '0',
      },
    },
  );
  let out = '';
  demo.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
  try {
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Ctrl-C stops both/);
    const [portal, n8n] = [/Portal\s+(\S+)/, /n8n\s+(\S+)/].map((pattern) => pattern.exec(out)?.[1] ?? '');
    expect((await fetch(portal as string)).status).toBe(200);
    expect((await fetch(n8n as string)).status).toBe(200);

    const signIn = await fetch(new URL('/signin', portal), {
      method: 'POST',
      body: 'user=ada',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const portalCookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const open = await fetch(new URL('/n8n/open?redirectTo=/workflow/1', portal), {
      headers: { cookie: portalCookie },
      redirect: 'manual',
    });
    const login = await fetch(open.headers.get('location') ?? '', { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe(`${n8n}workflow/1`);
    const session = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await (await fetch(new URL('/rest/login', n8n), { headers: { cookie: session } })).json();
    expect(me.data.email).toBe('ada@example.com');
  } finally {
    demo.kill('SIGINT');
  }
  expect(await exited).toBe(0);
}, 60_000);
