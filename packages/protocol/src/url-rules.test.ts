import { describe, expect, it } from 'vitest';
import { EmbedLoginError } from './errors.js';
import { isLoopbackHost, normaliseOrigin } from './url-rules.js';

describe('isLoopbackHost: the one loopback rule (SDK n8nUrl, JWKS over http)', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'])('%s is this machine', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['localhost.evil.example', '128.0.0.1', '0.0.0.0', '::1', 'example.com', '127.0.0.1.nip.io'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
  it('reads hostnames as URL writes them', () => {
    expect(isLoopbackHost(new URL('http://127.1:8080/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]/').hostname)).toBe(true);
  });
});

describe('normaliseOrigin: the one origin rule (handler portalOrigins, adapter N8N_EMBED_PORTAL_ORIGINS)', () => {
  it.each([
    ['https://portal.example.com', 'https://portal.example.com'],
    ['https://Portal.Example.com:443/', 'https://portal.example.com'],
    [' http://127.0.0.1:3000 ', 'http://127.0.0.1:3000'],
  ])('%s → %s', (value, origin) => {
    expect(normaliseOrigin(value, 'portalOrigins[0]')).toBe(origin);
  });

  it.each([
    'https://portal.example.com/app',
    'https://portal.example.com/?x=1',
    'https://portal.example.com/#x',
    'https://user:pw@portal.example.com',
    'portal.example.com',
    'javascript:alert(1)',
  ])('refuses %s, naming the option', (value) => {
    let error: unknown;
    try {
      normaliseOrigin(value, 'N8N_EMBED_PORTAL_ORIGINS entry 2');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EmbedLoginError);
    expect((error as EmbedLoginError).message).toMatch(
      /^N8N_EMBED_PORTAL_ORIGINS entry 2: ".*" is not an origin/,
    );
  });
});
