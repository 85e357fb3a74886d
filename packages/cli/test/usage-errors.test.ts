// Usage errors are exit 2 and name the flag the user typed, never an SDK option; failures are one
// line; help texts use one quote style.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com/';
const SDK_OPTION_NAMES = /\b(lifetimeSeconds|privateKey|publicJwk|n8nUrl|removeKid|redirectTo):/;

async function cli(args: string[], cwd?: string) {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err(), cwd: io.cwd };
}

async function withKey() {
  const made = await cli(['keys', 'generate', '--out', 'keys', '--kid', 'k1']);
  expect(made.code).toBe(0);
  return made.cwd;
}

const mintArgs = [
  'token',
  'mint',
  '--key',
  'keys/k1.private.jwk',
  '--issuer',
  ISSUER,
  '--audience',
  AUDIENCE,
];

describe('usage errors', () => {
  it.each([
    [
      ['dev', '--port', 'abc', '--trusted-keys', 'x.json'],
      /option '--port <port>' argument 'abc' is invalid/,
    ],
    [
      ['dev', '--port', '70000', '--trusted-keys', 'x.json'],
      /option '--port <port>' argument '70000' is invalid/,
    ],
    [['keys', 'generate', '--alg', 'HS256'], /option '--alg <alg>' argument 'HS256' is invalid/],
    [
      ['token', 'inspect', 'x', '--profile', 'loose'],
      /option '--profile <profile>' argument 'loose' is invalid/,
    ],
    [
      [...mintArgs, '--sub', 'u', '--lifetime', '120'],
      /option '--lifetime <seconds>' argument '120' is invalid/,
    ],
    [
      ['keys', 'trusted-config', '--public-key', 'k.pem', '--issuer', 'portal', '--audience', AUDIENCE],
      /option '--issuer <url>' argument 'portal' is invalid\. must be an absolute http\(s\) URL/,
    ],
    [
      [...mintArgs.slice(0, 4), '--issuer', 'portal', '--audience', AUDIENCE, '--sub', 'u'],
      /option '--issuer <url>' argument 'portal' is invalid/,
    ],
    [['keys', 'trusted-config', '--issuer', ISSUER], /give --public-key/],
    [['keys', 'trusted-config', '--remove-kid', 'k1'], /^n8n-embed: --remove-kid: needs --merge/],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(SDK_OPTION_NAMES);
  });

  it("an SDK option's complaint names the flag: --n8n-url, --redirect-to, --email, --kid", async () => {
    const cwd = await withKey();
    const cases: [string[], RegExp][] = [
      [['--n8n-url', 'not a url'], /^n8n-embed: --n8n-url: must be an absolute URL/m],
      [['--n8n-url', AUDIENCE, '--redirect-to', '//evil.example'], /^n8n-embed: --redirect-to: /m],
      [['--redirect-to', '/home'], /^n8n-embed: --redirect-to: needs --n8n-url/m],
      [['--email', 'not-an-email'], /^n8n-embed: --email: /m],
      [['--kid', 'other'], /^n8n-embed: --kid: the key in keys\/k1\.private\.jwk says kid "k1"/m],
    ];
    for (const [extra, message] of cases) {
      const result = await cli([...mintArgs, '--sub', 'u1', ...extra], cwd);
      expect(result.err, extra.join(' ')).toMatch(message);
      expect(result.code, extra.join(' ')).toBe(2);
      expect(result.err).not.toMatch(SDK_OPTION_NAMES);
      expect(result.err.trim().split('\n').at(-1)).toMatch(/^n8n-embed: /);
    }
  });

  it('a key that does not fit is exit 1, named by --key', async () => {
    const cwd = await withKey();
    const result = await cli(
      [...mintArgs.slice(0, 3), 'keys/k1.public.jwk', ...mintArgs.slice(4), '--sub', 'u'],
      cwd,
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^n8n-embed: --key: keys\/k1\.public\.jwk is a public key; give the private one/m,
    );
  });
});

describe('keys generate --out', () => {
  it('a path it cannot create fails at once, named by --out (no spinning under /proc)', async () => {
    const started = Date.now();
    const proc = await cli(['keys', 'generate', '--out', '/proc/nope/keys']);
    expect(proc.code).toBe(1);
    expect(proc.err).toBe('n8n-embed: --out: cannot create /proc/nope (ENOENT)\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a file in the way is named', async () => {
    const io = memoryIo();
    writeFileSync(join(io.cwd, 'file'), 'x');
    const result = await cli(['keys', 'generate', '--out', 'file/sub'], io.cwd);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`n8n-embed: --out: ${join(io.cwd, 'file')} is a file, not a directory\n`);
  });
});

describe('keys trusted-config', () => {
  it('--remove-kid of the last key is an error: n8n would trust nothing', async () => {
    const cwd = await withKey();
    const config = await cli(
      [
        'keys',
        'trusted-config',
        '--public-key',
        'keys/k1.public.jwk',
        '--issuer',
        ISSUER,
        '--audience',
        AUDIENCE,
      ],
      cwd,
    );
    writeFileSync(join(cwd, 'trusted.json'), config.out);
    const last = await cli(['keys', 'trusted-config', '--merge', 'trusted.json', '--remove-kid', 'k1'], cwd);
    expect(last.code).toBe(1);
    expect(last.out).toBe('');
    expect(last.err).toMatch(/^n8n-embed: --remove-kid: k1 is the only key; n8n would trust nothing/);
    const unknown = await cli(
      ['keys', 'trusted-config', '--merge', 'trusted.json', '--remove-kid', 'k9'],
      cwd,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('n8n-embed: --remove-kid: no entry has kid "k9"\n');
  });

  it('allowedRoles is ["global:member"] unless --allowed-roles says otherwise', async () => {
    const cwd = await withKey();
    const args = [
      'keys',
      'trusted-config',
      '--public-key',
      'keys/k1.public.jwk',
      '--issuer',
      ISSUER,
      '--audience',
      AUDIENCE,
    ];
    expect(JSON.parse((await cli(args, cwd)).out)[0].allowedRoles).toEqual(['global:member']);
    const given = await cli([...args, '--allowed-roles', 'global:member, global:admin'], cwd);
    expect(JSON.parse(given.out)[0].allowedRoles).toEqual(['global:member', 'global:admin']);
    expect((await cli([...args, '--allowed-roles', ' , '], cwd)).code).toBe(2);
  });

  it('--audience takes any string, as the claim schema does (aud is opaque; iss is a URL)', async () => {
    const cwd = await withKey();
    const result = await cli(
      [
        'keys',
        'trusted-config',
        '--public-key',
        'keys/k1.public.jwk',
        '--issuer',
        ISSUER,
        '--audience',
        'n8n',
      ],
      cwd,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)[0].expectedAudience).toBe('n8n');
    expect((await cli([...mintArgs.slice(0, 6), '--audience', '', '--sub', 'u'], cwd)).code).toBe(2);
  });
});

describe('token mint --json', () => {
  it('prints the token, its claims and expiry', async () => {
    const cwd = await withKey();
    const io = memoryIo({ cwd, now: Date.UTC(2026, 11, 1, 12, 0, 0) });
    expect(await run([...mintArgs, '--sub', 'u1', '--lifetime', '45', '--json'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.token.split('.')).toHaveLength(3);
    expect(result.claims).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'u1',
      iat: 1_796_126_400,
      exp: 1_796_126_445,
    });
    expect(result.expiresAt).toBe('2026-12-01T12:00:45.000Z');
  });
});

describe('help texts', () => {
  it('use one quote style (ASCII) in every command', async () => {
    const commands = [
      [],
      ['keys', 'generate'],
      ['keys', 'trusted-config'],
      ['token', 'mint'],
      ['token', 'inspect'],
      ['dev'],
    ];
    for (const command of commands) {
      const help = await cli([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.out, command.join(' ')).not.toMatch(/[\u2018\u2019\u201c\u201d]/);
    }
    const trusted = await cli(['keys', 'trusted-config', '--help']);
    expect(trusted.out).toMatch(/allowedRoles is \["global:member"\] unless --allowed-roles/);
  });
});
