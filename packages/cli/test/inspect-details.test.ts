// `token inspect` for people: the decoded header and claims, why a kid or an audience did not match
// (both values), a pasted login URL or form body, and nothing raw from the token on the terminal.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS, VECTORS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';
import { memoryIo } from './memory-io.js';

const vector = (name: string): string => {
  const found = VECTORS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no vector ${name}`);
  return found.token;
};

async function inspect(args: string[], stdin?: string) {
  const io = memoryIo({ now: VECTOR_NOW_MS, ...(stdin === undefined ? {} : { stdin }) });
  writeFileSync(join(io.cwd, 'trusted.json'), JSON.stringify(VECTOR_TRUSTED_KEYS));
  const code = await run(['token', 'inspect', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('token inspect', () => {
  it('shows the decoded header and claims, times as dates too', async () => {
    const { code, out } = await inspect([vector('ES256 every claim')]);
    expect(code).toBe(0);
    expect(out).toMatch(/^header {2}\{"alg":"ES256","kid":"vector-es256","typ":"n8n-embed\+jwt"\}$/m);
    expect(out).toMatch(/^claims$/m);
    expect(out).toMatch(/^ {2}iss {13}https:\/\/portal\.example\.com$/m);
    expect(out).toMatch(/^ {2}exp {13}\d+ {2}\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\)$/m);
  });

  it('says when the kid is trusted for another issuer', async () => {
    const { code, out } = await inspect([
      vector('issuer without a key (same kid)'),
      '--trusted-keys',
      'trusted.json',
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/refused \(profile strict\): unknown_kid: /);
    expect(out).toMatch(
      /^ {2}kid vector-es256 is trusted for issuer https:\/\/portal\.example\.com, not for the token's iss \S+$/m,
    );
    const unknown = await inspect([vector('unknown kid'), '--trusted-keys', 'trusted.json']);
    expect(unknown.out).toMatch(/^ {2}no trusted key has kid \S+ \(trusted: vector-es256, /m);
  });

  it('shows both values on an audience mismatch', async () => {
    const { code, out } = await inspect([vector('wrong audience'), '--trusted-keys', 'trusted.json']);
    expect(code).toBe(1);
    expect(out).toMatch(/audience_mismatch/);
    expect(out).toMatch(/^ {2}aud in the token: \S+$/m);
    expect(out).toMatch(/^ {2}expected \(the key's expectedAudience\): https:\/\/n8n\.example\.com$/m);
    const flag = await inspect([
      vector('ES256 every claim'),
      '--trusted-keys',
      'trusted.json',
      '--audience',
      'https://other.example',
    ]);
    expect(flag.out).toMatch(/^ {2}expected \(--audience\): https:\/\/other\.example$/m);
  });

  it('understands a pasted login URL and a form body', async () => {
    const token = vector('ES256 every claim');
    const url = `https://n8n.example.com/rest/auth/embed?token=${token}&redirectTo=%2Fworkflow%2F1`;
    const fromUrl = await inspect([url, '--trusted-keys', 'trusted.json']);
    expect(fromUrl.code).toBe(0);
    expect(fromUrl.out).toMatch(/^token from the login URL$/m);
    expect(fromUrl.out).toMatch(/verified with kid vector-es256/);
    const fromForm = await inspect(
      ['-', '--trusted-keys', 'trusted.json'],
      `token=${token}&redirectTo=%2F\n`,
    );
    expect(fromForm.code).toBe(0);
    expect(fromForm.out).toMatch(/^token from the form body$/m);
    const noToken = await inspect(['https://n8n.example.com/rest/auth/embed?redirectTo=/']);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toBe('n8n-embed: the URL has no token parameter\n');
  });

  it('prints nothing raw from the token: control characters are shown escaped', async () => {
    const { out } = await inspect([vector('sub with a newline'), '--trusted-keys', 'trusted.json']);
    const subLine = out.split('\n').find((line) => line.startsWith('  sub '));
    expect(subLine).toMatch(/\\u\{a\}/);
    const controls = [...out].filter((char) => {
      const code = char.charCodeAt(0);
      return (code < 0x20 && char !== '\n') || code === 0x7f;
    });
    expect(controls).toEqual([]);
  });
});
