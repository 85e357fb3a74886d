// One key rule on both sides: every key the SDK's signer accepts, the verifier accepts as the trusted
// key of the same algorithm, and the other way round. All ten algorithms against RSA keys around the
// 2048-bit line, every curve (allowed and not), and private/public/symmetric mix-ups, through every
// form each side takes (JWK and PEM, node:crypto and WebCrypto).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ALGORITHMS, type Algorithm, isEmbedLoginError } from '@n8n-embed/protocol';
import { createLoginSigner } from '@n8n-embed/sdk';
import { createVerifier } from '@n8n-embed/verifier';
import { beforeAll, describe, expect, it } from 'vitest';

const issuer = 'https://portal.example.com';
const audience = 'https://n8n.example.com';
const backends = ['node', 'webcrypto'] as const;

interface TestKey {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const KEY_SPECS: Record<string, () => { privateKey: KeyObject; publicKey: KeyObject }> = {
  'RSA 1024': () => generateKeyPairSync('rsa', { modulusLength: 1024 }),
  'RSA 2047': () => generateKeyPairSync('rsa', { modulusLength: 2047 }),
  'RSA 2048': () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  'RSA 2049': () => generateKeyPairSync('rsa', { modulusLength: 2049 }),
  'EC P-256': () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'EC P-384': () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'EC P-521': () => generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  'EC secp256k1': () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
  Ed25519: () => generateKeyPairSync('ed25519'),
  Ed448: () => generateKeyPairSync('ed448'),
};

/** Where both sides must say yes, and nowhere else: the test is not vacuous if both sides drift. */
const EXPECTED_FITS: Record<string, readonly Algorithm[]> = {
  'RSA 2048': ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'RSA 2049': ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'EC P-256': ['ES256'],
  'EC P-384': ['ES384'],
  'EC P-521': ['ES512'],
  Ed25519: ['EdDSA'],
};

const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' }) as Record<string, string>;
const pemOf = (key: KeyObject) =>
  key.type === 'private'
    ? key.export({ format: 'pem', type: 'pkcs8' }).toString()
    : key.export({ format: 'pem', type: 'spki' }).toString();

/** `accepted`, or the refusal's reason; anything but a config_invalid EmbedLoginError is a bug. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (isEmbedLoginError(error) && error.reason === 'config_invalid') return 'refused';
    throw error;
  }
}

const signerWith = (
  privateKey: Record<string, string> | string,
  alg: Algorithm,
  crypto: 'node' | 'webcrypto',
) => createLoginSigner({ privateKey, kid: 'k', alg, issuer, audience, crypto });

const verifierWith = (entry: Record<string, unknown>, alg: Algorithm, crypto: 'node' | 'webcrypto') =>
  createVerifier({
    trustedKeys: [{ kid: 'k', algorithms: [alg], issuer, expectedAudience: audience, ...entry } as never],
    crypto,
  });

/** Every form the signer takes the private half in, on both backends. */
async function sdkVerdicts(key: TestKey, alg: Algorithm): Promise<string[]> {
  const forms = [jwkOf(key.privateKey), pemOf(key.privateKey)];
  return Promise.all(
    backends.flatMap((crypto) => forms.map((form) => outcome(() => signerWith(form, alg, crypto)))),
  );
}

/** Every form the verifier takes the public half in (JWK, n8n's static PEM entry), on both backends. */
async function verifierVerdicts(key: TestKey, alg: Algorithm): Promise<string[]> {
  const forms = [{ jwk: jwkOf(key.publicKey) }, { type: 'static', key: pemOf(key.publicKey) }];
  return Promise.all(
    backends.flatMap((crypto) => forms.map((form) => outcome(() => verifierWith(form, alg, crypto)))),
  );
}

describe('the SDK and the verifier apply one key rule', () => {
  const keys: TestKey[] = [];
  beforeAll(() => {
    for (const [name, make] of Object.entries(KEY_SPECS)) keys.push({ name, ...make() });
  });

  it('agree on every key and every algorithm, through every form and backend', async () => {
    const fits: Record<string, Algorithm[]> = {};
    for (const key of keys) {
      for (const alg of ALGORITHMS) {
        const [sdk, verifier] = await Promise.all([sdkVerdicts(key, alg), verifierVerdicts(key, alg)]);
        const all = [...new Set([...sdk, ...verifier])];
        expect(all, `${key.name} ${alg}: SDK ${sdk.join(',')} / verifier ${verifier.join(',')}`).toHaveLength(
          1,
        );
        if (all[0] === 'accepted') fits[key.name] = [...(fits[key.name] ?? []), alg];
      }
    }
    expect(fits).toEqual(EXPECTED_FITS);
  });

  it('a token one side signs with an accepted key, the other side verifies (across backends)', async () => {
    for (const key of keys) {
      for (const alg of EXPECTED_FITS[key.name] ?? []) {
        for (const [signWith, verifyWith] of [
          ['node', 'webcrypto'],
          ['webcrypto', 'node'],
        ] as const) {
          const signer = await signerWith(jwkOf(key.privateKey), alg, signWith);
          const verifier = await verifierWith({ jwk: jwkOf(key.publicKey) }, alg, verifyWith);
          const verified = await verifier.verify(await signer.mint({ sub: 'u' }));
          expect(verified.header.alg, `${key.name} ${alg}`).toBe(alg);
        }
      }
    }
  });

  it('refuses the wrong half on either side: a public key to sign, a private or symmetric key to verify', async () => {
    const ec = keys.find((key) => key.name === 'EC P-256') as TestKey;
    const symmetric = { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' };
    for (const crypto of backends) {
      for (const wrongHalf of [jwkOf(ec.publicKey), pemOf(ec.publicKey), symmetric]) {
        expect(await outcome(() => signerWith(wrongHalf, 'ES256', crypto))).toBe('refused');
      }
      for (const wrongHalf of [
        { jwk: jwkOf(ec.privateKey) },
        { jwk: symmetric },
        { pem: pemOf(ec.privateKey) },
      ]) {
        expect(await outcome(() => verifierWith(wrongHalf, 'ES256', crypto))).toBe('refused');
      }
    }
  });
});
