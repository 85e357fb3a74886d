import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS, VECTORS } from '@n8n-embed/protocol/vectors';
import { createVerifier } from '@n8n-embed/verifier';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com/';

async function keysIn(cwd?: string, kid = 'k1', alg = 'ES256') {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await run(['keys', 'generate', '--out', 'keys', '--kid', kid, '--alg', alg, '--json'], io);
  return { io, code, files: code === 0 ? JSON.parse(io.out()).files : undefined };
}

describe('keys generate', () => {
  it('writes the four files, the private key owner-only, and refuses to overwrite without --force', async () => {
    const { io, code, files } = await keysIn();
    expect(code).toBe(0);
    expect(statSync(files.privateJwk).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(files.publicJwk, 'utf8'))).toMatchObject({
      kid: 'k1',
      alg: 'ES256',
      use: 'sig',
    });
    expect(readFileSync(files.publicPem, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = memoryIo({ cwd: io.cwd });
    expect(await run(['keys', 'generate', '--out', 'keys', '--kid', 'k1'], again)).toBe(1);
    expect(again.err()).toMatch(/exists; pass --force/);
    expect(
      await run(['keys', 'generate', '--out', 'keys', '--kid', 'k1', '--force'], memoryIo({ cwd: io.cwd })),
    ).toBe(0);
  });

  it('warns about EdDSA and refuses an unknown algorithm', async () => {
    const eddsa = await keysIn(undefined, 'ed', 'EdDSA');
    expect(eddsa.io.err()).toMatch(/n8n's own token-exchange module cannot verify EdDSA/);
    const bad = await keysIn(undefined, 'x', 'HS256');
    expect(bad.code).toBe(2);
    expect(bad.io.err()).toMatch(
      /option '--alg <alg>' argument 'HS256' is invalid\. Allowed choices are ES256, /,
    );
  });
});

describe('keys trusted-config and the rotation recipe', () => {
  it('adds a key next to the existing ones, then retires the old one', async () => {
    const { io } = await keysIn(undefined, 'old');
    await keysIn(io.cwd, 'new');
    const config = (args: string[]) => {
      const out = memoryIo({ cwd: io.cwd });
      return run(['keys', 'trusted-config', ...args], out).then((code) => ({
        code,
        json: code === 0 ? JSON.parse(out.out()) : out.err(),
      }));
    };
    const common = ['--issuer', ISSUER, '--audience', AUDIENCE];
    const first = await config([
      '--public-key',
      'keys/old.public.jwk',
      ...common,
      '--allowed-roles',
      'global:member',
    ]);
    expect(first.json).toEqual([
      expect.objectContaining({
        type: 'static',
        kid: 'old',
        algorithms: ['ES256'],
        issuer: ISSUER,
        expectedAudience: AUDIENCE,
        allowedRoles: ['global:member'],
      }),
    ]);
    writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(first.json));
    const both = await config(['--public-key', 'keys/new.public.jwk', ...common, '--merge', 'trusted.json']);
    expect(both.json.map((entry: { kid: string }) => entry.kid)).toEqual(['old', 'new']);
    writeFileSync(join(io.cwd, 'both.json'), JSON.stringify(both.json));
    const retired = await config(['--merge', 'both.json', '--remove-kid', 'old']);
    expect(retired.json.map((entry: { kid: string }) => entry.kid)).toEqual(['new']);
    expect((await config(['--merge', 'both.json', '--remove-kid', 'nope'])).code).toBe(1);
    expect((await config(['--issuer', ISSUER])).code).toBe(2);
  });
});

describe('token mint', () => {
  it('mints a token the verifier accepts, a login URL, and the form file', async () => {
    const { io } = await keysIn();
    const trusted = memoryIo({ cwd: io.cwd });
    await run(
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
      trusted,
    );
    const mint = async (...extra: string[]) => {
      const out = memoryIo({ cwd: io.cwd });
      const code = await run(
        [
          'token',
          'mint',
          '--key',
          'keys/k1.private.jwk',
          '--issuer',
          ISSUER,
          '--audience',
          AUDIENCE,
          '--sub',
          'u1',
          '--email',
          'a@example.com',
          '--email-verified',
          ...extra,
        ],
        out,
      );
      return { code, out: out.out().trim(), err: out.err() };
    };
    const verifier = await createVerifier({ trustedKeys: trusted.out() });
    const token = await mint();
    expect((await verifier.verify(token.out)).claims).toMatchObject({
      sub: 'u1',
      email: 'a@example.com',
      email_verified: true,
    });
    const url = new URL(
      (await mint('--n8n-url', 'https://n8n.example.com/n8n/', '--redirect-to', '/workflow/1')).out,
    );
    expect(url.pathname).toBe('/n8n/rest/auth/embed');
    expect(url.searchParams.get('redirectTo')).toBe('/workflow/1');
    const form = await mint('--n8n-url', AUDIENCE, '--form', 'login.html', '--json');
    expect(readFileSync(JSON.parse(form.out).form, 'utf8')).toContain('method="post"');
    for (const lifetime of ['61', 'abc', '0', '1.5']) {
      const wrong = await mint('--lifetime', lifetime);
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(
        new RegExp(
          `option '--lifetime <seconds>' argument '${lifetime.replace('.', '\\.')}' is invalid\\. must be a whole number of seconds from 1 to 60`,
        ),
      );
      expect(wrong.err).not.toMatch(/lifetimeSeconds|\n\s+at /); // the flag, no stack trace
    }
  });
});

describe('token inspect', () => {
  const trustedKeysFile = () => {
    const io = memoryIo({ now: VECTOR_NOW_MS });
    writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(VECTOR_TRUSTED_KEYS));
    return io.cwd;
  };

  it.each(
    VECTORS.filter((vector) => vector.expected.strict !== 'valid').map(
      (vector) => [vector.name, vector] as const,
    ),
  )('names the rule the negative vector %s breaks', async (_, vector) => {
    const io = memoryIo({ now: VECTOR_NOW_MS, cwd: trustedKeysFile() });
    expect(
      await run(['token', 'inspect', vector.token, '--trusted-keys', 'trusted.json', '--json'], io),
    ).toBe(1);
    const result = JSON.parse(io.out());
    expect(result.valid).toBe(false);
    expect(result.verification.reason).toBe(vector.expected.strict);
  });

  it('reads the token from stdin and says what to change; exit 0 for a valid one', async () => {
    const [valid, expired] = ['ES256 every claim', 'expired'].map(
      (name) => VECTORS.find((vector) => vector.name === name)?.token ?? '',
    );
    const ok = memoryIo({ now: VECTOR_NOW_MS, stdin: `${valid}\n`, cwd: trustedKeysFile() });
    expect(await run(['token', 'inspect', '-', '--trusted-keys', 'trusted.json'], ok)).toBe(0);
    expect(ok.out()).toMatch(/verified with kid vector-es256/);
    const late = memoryIo({ now: VECTOR_NOW_MS, cwd: trustedKeysFile() });
    expect(await run(['token', 'inspect', expired ?? '', '--trusted-keys', 'trusted.json'], late)).toBe(1);
    expect(late.out()).toMatch(/✖ expiry: expired \d+ s ago/);
    expect(late.out()).toMatch(/what to change: mint the token right before the redirect/);
    expect(await run(['token', 'inspect'], memoryIo())).toBe(2);
  });
});

describe('the program', () => {
  it('prints help with an example, the version, and exits 2 on a usage error', async () => {
    const help = memoryIo();
    expect(await run(['keys', 'trusted-config', '--help'], help)).toBe(0);
    expect(help.out()).toMatch(/Zero-downtime key rotation/);
    const version = memoryIo();
    expect(await run(['--version'], version)).toBe(0);
    expect(version.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const wrong = memoryIo();
    expect(await run(['keys', 'rotate'], wrong)).toBe(2);
    expect(wrong.err()).toMatch(/unknown command/);
  });
});
