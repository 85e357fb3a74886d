// Wherever the CLI takes a key file it reads PEM (SPKI / PKCS#8), a JWK or a one-key JWKS (--kid to
// choose), and says which it found.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVerifier } from '@n8n-embed/verifier';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';

const ISSUER = 'https://portal.example.com';
const AUDIENCE = 'https://n8n.example.com/';

async function cli(args: string[], cwd?: string) {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err(), cwd: io.cwd };
}

const trustedConfig = (publicKey: string, cwd: string, ...extra: string[]) =>
  cli(
    [
      'keys',
      'trusted-config',
      '--public-key',
      publicKey,
      '--issuer',
      ISSUER,
      '--audience',
      AUDIENCE,
      ...extra,
    ],
    cwd,
  );

const mint = (key: string, cwd: string, ...extra: string[]) =>
  cli(
    ['token', 'mint', '--key', key, '--issuer', ISSUER, '--audience', AUDIENCE, '--sub', 'u1', ...extra],
    cwd,
  );

async function keysIn(...kids: string[]): Promise<string> {
  let cwd: string | undefined;
  for (const kid of kids) cwd = (await cli(['keys', 'generate', '--out', 'keys', '--kid', kid], cwd)).cwd;
  return cwd ?? '';
}

describe('keys trusted-config --public-key', () => {
  it('takes the .public.pem keys generate wrote: kid from the file name, alg inferred, and says so', async () => {
    const cwd = await keysIn('k1');
    const fromPem = await trustedConfig('keys/k1.public.pem', cwd);
    expect(fromPem.code).toBe(0);
    expect(fromPem.err).toMatch(
      /^--public-key: keys\/k1\.public\.pem: SPKI PEM public key \(EC P-256\), kid k1 \(from the file name; --kid to choose\), alg ES256 \(inferred\)$/m,
    );
    const fromJwk = await trustedConfig('keys/k1.public.jwk', cwd);
    expect(fromJwk.err).toMatch(
      /^--public-key: keys\/k1\.public\.jwk: JWK public key \(EC P-256\), kid k1, alg ES256$/m,
    );
    // The same entry either way.
    expect(JSON.parse(fromPem.out)).toEqual(JSON.parse(fromJwk.out));
    const named = await trustedConfig('keys/k1.public.pem', cwd, '--kid', 'portal-7');
    expect(JSON.parse(named.out)[0].kid).toBe('portal-7');
  });

  it('takes a one-key JWKS, and a larger one with --kid', async () => {
    const cwd = await keysIn('a', 'b');
    const one = await trustedConfig('keys/a.jwks.json', cwd);
    expect(one.err).toMatch(/JWKS \(one key\) public key \(EC P-256\), kid a, alg ES256/);
    const keys = ['a', 'b'].flatMap(
      (kid) => JSON.parse(readFileSync(join(cwd, `keys/${kid}.jwks.json`), 'utf8')).keys,
    );
    writeFileSync(join(cwd, 'both.jwks.json'), JSON.stringify({ keys }));
    const unpicked = await trustedConfig('both.jwks.json', cwd);
    expect(unpicked.code).toBe(1);
    expect(unpicked.err).toBe(
      'n8n-embed: --public-key: both.jwks.json holds 2 keys (kid a, b); pass --kid to choose\n',
    );
    const picked = await trustedConfig('both.jwks.json', cwd, '--kid', 'b');
    expect(JSON.parse(picked.out)[0].kid).toBe('b');
    const none = await trustedConfig('both.jwks.json', cwd, '--kid', 'c');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^n8n-embed: --kid: both\.jwks\.json holds 2 keys \(kid a, b\), none is c$/m);
  });

  it('refuses a private key, a symmetric key and what is not a key, naming the flag', async () => {
    const cwd = await keysIn('k1');
    writeFileSync(join(cwd, 'oct.jwk'), JSON.stringify({ kty: 'oct', k: 'c2VjcmV0', kid: 'x' }));
    writeFileSync(join(cwd, 'notes.txt'), 'hello');
    const cases: [string, RegExp][] = [
      ['keys/k1.private.jwk', /--public-key: keys\/k1\.private\.jwk is a private key; give the public one/],
      ['oct.jwk', /--public-key: oct\.jwk is a symmetric key/],
      ['notes.txt', /--public-key: notes\.txt is neither PEM nor JSON/],
      ['missing.pem', /--public-key: cannot read missing\.pem \(ENOENT\)/],
    ];
    for (const [file, message] of cases) {
      const result = await trustedConfig(file, cwd);
      expect(result.code, file).toBe(1);
      expect(result.err, file).toMatch(message);
    }
  });
});

describe('token mint --key', () => {
  it('signs with a PKCS#8 PEM key (RS256 inferred) and a JWKS, and the tokens verify', async () => {
    const io = memoryIo();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(io.cwd, 'rsa-1.private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const minted = await mint('rsa-1.private.pem', io.cwd);
    expect(minted.code).toBe(0);
    expect(minted.err).toMatch(
      /^--key: rsa-1\.private\.pem: PKCS#8 PEM private key \(RSA\), kid rsa-1 \(from the file name; --kid to choose\), alg RS256 \(inferred; --alg PS256 for RSA-PSS\)$/m,
    );
    const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256' };
    writeFileSync(join(io.cwd, 'rsa.public.jwk'), JSON.stringify(publicJwk));
    const config = await trustedConfig('rsa.public.jwk', io.cwd);
    const verifier = await createVerifier({ trustedKeys: config.out });
    expect((await verifier.verify(minted.out.trim())).kid).toBe('rsa-1');

    const pss = await mint('rsa-1.private.pem', io.cwd, '--alg', 'PS256');
    expect(pss.code).toBe(0);
    expect(JSON.parse(Buffer.from(pss.out.split('.')[0] ?? '', 'base64url').toString()).alg).toBe('PS256');

    const cwd = await keysIn('j1');
    writeFileSync(
      join(cwd, 'set.json'),
      JSON.stringify({ keys: [JSON.parse(readFileSync(join(cwd, 'keys/j1.private.jwk'), 'utf8'))] }),
    );
    const fromJwks = await mint('set.json', cwd);
    expect(fromJwks.code).toBe(0);
    expect(fromJwks.err).toMatch(/JWKS \(one key\) private key \(EC P-256\), kid j1, alg ES256/);
  });

  it('refuses a public key and a PEM in an old format, saying what to give', async () => {
    const cwd = await keysIn('k1');
    const publicPem = await mint('keys/k1.public.pem', cwd);
    expect(publicPem.code).toBe(1);
    expect(publicPem.err).toMatch(
      /^n8n-embed: --key: keys\/k1\.public\.pem is a public key; give the private one/m,
    );
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(cwd, 'sec1.pem'), privateKey.export({ type: 'sec1', format: 'pem' }));
    const sec1 = await mint('sec1.pem', cwd);
    expect(sec1.code).toBe(1);
    expect(sec1.err).toMatch(
      /--key: sec1\.pem is a PKCS#1\/SEC1 private key; convert it to PKCS#8: openssl pkcs8 -topk8/,
    );
  });
});
