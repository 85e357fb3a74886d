// One key per algorithm n8n allows, made by node:crypto, in every form the suite hands a runtime: a
// private JWK (with its kid), a PKCS#8 PEM, the public JWK, and n8n's static trusted-keys entry.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ALGORITHMS, type Algorithm, keyTypeFor } from '@n8n-embed/protocol';

export interface TestKey {
  readonly alg: Algorithm;
  readonly kid: string;
  readonly privateJwk: Record<string, unknown>;
  readonly privatePem: string;
  readonly publicJwk: Record<string, unknown>;
  readonly publicPem: string;
}

function pairFor(alg: Algorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  const type = keyTypeFor(alg);
  if (type.kty === 'RSA') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (type.kty === 'EC') return generateKeyPairSync('ec', { namedCurve: type.crv });
  return generateKeyPairSync('ed25519');
}

/** A key for each of the ten algorithms; the RSA algorithms share one 2048-bit key (one family). */
export function makeTestKeys(): TestKey[] {
  const families = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  return ALGORITHMS.map((alg) => {
    const type = keyTypeFor(alg);
    const family = type.kty === 'RSA' ? 'RSA' : type.crv;
    const pair = families.get(family) ?? pairFor(alg);
    families.set(family, pair);
    const kid = `runtime-${alg.toLowerCase()}`;
    return {
      alg,
      kid,
      privateJwk: { ...pair.privateKey.export({ format: 'jwk' }), kid },
      privatePem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
      publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
  });
}
