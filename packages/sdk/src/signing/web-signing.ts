import {
  type Algorithm,
  configError,
  isEmbedLoginError,
  shapeOfCryptoKey,
  shapeOfJwk,
} from '@n8n-embed/protocol';
import { CompactSign, exportJWK, importJWK, importPKCS8 } from 'jose';
import {
  assertCryptoKeySigns,
  assertPkcs8Pem,
  assertSigningKey,
  type PrivateKeyInput,
  publicJwkOf,
} from '../private-key.js';
import type { LoginHeader, SigningBackend } from './signing-backend.js';

async function importKey(key: PrivateKeyInput, alg: Algorithm): Promise<CryptoKey> {
  try {
    if (key instanceof CryptoKey) return key;
    if (typeof key === 'string') {
      assertPkcs8Pem(key);
      return await importPKCS8(key, alg, { extractable: true });
    }
    // A public or mismatched JWK gets the key rule's message, not jose's.
    assertSigningKey(shapeOfJwk(key as Readonly<Record<string, unknown>>), alg);
    return (await importJWK({ ...key, ext: true } as Parameters<typeof importJWK>[0], alg)) as CryptoKey;
  } catch (cause) {
    if (isEmbedLoginError(cause)) throw cause;
    throw configError('privateKey: not a readable private key for this algorithm', cause);
  }
}

/** The portable path: jose imports the key and signs (`CompactSign`). Node, Deno, Bun, edge runtimes. */
export async function createWebSigning(
  key: PrivateKeyInput,
  header: LoginHeader & { readonly alg: Algorithm },
): Promise<SigningBackend> {
  const cryptoKey = await importKey(key, header.alg);
  // A CryptoKey's fit is read from its algorithm: it may be non-extractable.
  assertSigningKey(shapeOfCryptoKey(cryptoKey), header.alg);
  assertCryptoKeySigns(cryptoKey);
  // A non-extractable CryptoKey (say, from a key store) can sign, but its public half is unknown here.
  const publicJwk = cryptoKey.extractable
    ? publicJwkOf((await exportJWK(cryptoKey)) as Record<string, unknown>, header.alg, header.kid)
    : undefined;
  const encoder = new TextEncoder();
  return {
    name: 'webcrypto',
    publicJwk,
    sign: (payload) =>
      new CompactSign(encoder.encode(payload)).setProtectedHeader({ ...header }).sign(cryptoKey),
  };
}
