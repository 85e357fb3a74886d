import { type Algorithm, configError, isEmbedLoginError, keyTypeFor } from '@n8n-embed/protocol';
import { exportJWK, importJWK, importPKCS8 } from 'jose';
import {
  assertPkcs8Pem,
  checkPrivateJwk,
  MIN_RSA_BITS,
  type PrivateKeyInput,
  type PublicJwk,
} from './private-key.js';

type NodeCrypto = typeof import('node:crypto');

/** Signs a JWS signing input; encodes text as base64url. Two implementations, same output format. */
export interface SigningBackend {
  readonly name: 'node' | 'webcrypto';
  readonly publicJwk: PublicJwk | undefined;
  /** `base64url(utf8(text))`. */
  encode(text: string): string;
  /** `base64url(signature over ascii(input))`. */
  sign(input: string): string | Promise<string>;
}

const HASH: Record<Algorithm, 'sha256' | 'sha384' | 'sha512' | null> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  EdDSA: null,
};

/**
 * node:crypto through `process.getBuiltinModule`, so the main entry keeps no `node:` import and still
 * bundles for browsers and edge runtimes (which take the WebCrypto path).
 */
export function loadNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}

function wrapImport<T>(run: () => T): T {
  try {
    return run();
  } catch (cause) {
    if (isEmbedLoginError(cause)) throw cause;
    throw configError('privateKey: not a readable private key for this algorithm', cause);
  }
}

/** The fast path: a `KeyObject` and synchronous `crypto.sign`. */
export function createNodeSigning(
  crypto: NodeCrypto,
  key: PrivateKeyInput,
  alg: Algorithm,
  kid: string,
): SigningBackend {
  const keyObject = wrapImport(() => {
    if (typeof key === 'string') {
      assertPkcs8Pem(key);
      return crypto.createPrivateKey({ key, format: 'pem' });
    }
    if (key instanceof CryptoKey) return crypto.KeyObject.from(key);
    if (typeof key.d !== 'string')
      return crypto.createPublicKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
    return crypto.createPrivateKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
  });
  if (keyObject.type !== 'private') {
    throw configError('privateKey: this is a public key; the signer needs the private key');
  }
  const publicJwk = checkPrivateJwk(keyObject.export({ format: 'jwk' }) as Record<string, unknown>, alg, kid);
  const hash = HASH[alg];
  const options = alg.startsWith('ES')
    ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const }
    : alg.startsWith('PS')
      ? {
          key: keyObject,
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: Number(alg.slice(2)) / 8,
        }
      : keyObject;
  const { Buffer } = globalThis as unknown as { Buffer: typeof import('node:buffer').Buffer };
  return {
    name: 'node',
    publicJwk,
    encode: (text) => Buffer.from(text).toString('base64url'),
    sign: (input) => crypto.sign(hash, Buffer.from(input, 'latin1'), options).toString('base64url'),
  };
}

type SignParams = { name: string } | RsaPssParams | EcdsaParams;

function signParams(alg: Algorithm): SignParams {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith('ES')) return { name: 'ECDSA', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', saltLength: Number(alg.slice(2)) / 8 };
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5' };
  return { name: 'Ed25519' };
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A CryptoKey may be non-extractable, so its fit is read from its algorithm, not from a JWK. */
function assertCryptoKeyFits(key: CryptoKey, alg: Algorithm, signName: string): void {
  const { name, namedCurve, modulusLength } = key.algorithm as EcKeyAlgorithm & RsaHashedKeyAlgorithm;
  const want = keyTypeFor(alg);
  const curve = want.kty === 'EC' ? want.crv : undefined;
  if (name !== signName || namedCurve !== curve) {
    const have = [name, namedCurve].filter(Boolean).join(' ');
    throw configError(`privateKey: a ${have} CryptoKey cannot sign ${alg}`);
  }
  if (want.kty === 'RSA' && modulusLength < MIN_RSA_BITS) {
    throw configError(`privateKey: RSA keys must have at least ${MIN_RSA_BITS} bits`);
  }
}

/** The portable path: jose imports the key, WebCrypto signs. Node, Deno, Bun, edge runtimes. */
export async function createWebSigning(
  key: PrivateKeyInput,
  alg: Algorithm,
  kid: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<SigningBackend> {
  let cryptoKey: CryptoKey;
  try {
    if (key instanceof CryptoKey) cryptoKey = key;
    else if (typeof key === 'string') {
      assertPkcs8Pem(key);
      cryptoKey = await importPKCS8(key, alg, { extractable: true });
    } else {
      checkPrivateJwk(key, alg, kid); // a public or mismatched key gets our message, not jose's
      cryptoKey = (await importJWK({ ...key, ext: true }, alg)) as CryptoKey;
    }
  } catch (cause) {
    if (isEmbedLoginError(cause)) throw cause;
    throw configError('privateKey: not a readable private key for this algorithm', cause);
  }
  if (cryptoKey.type !== 'private') {
    throw configError('privateKey: this is a public key; the signer needs the private key');
  }
  const params = signParams(alg);
  assertCryptoKeyFits(cryptoKey, alg, params.name);
  // A non-extractable CryptoKey (say, from a key store) can sign, but its public half is unknown here.
  const publicJwk = cryptoKey.extractable
    ? checkPrivateJwk((await exportJWK(cryptoKey)) as Record<string, unknown>, alg, kid)
    : undefined;
  const encoder = new TextEncoder();
  return {
    name: 'webcrypto',
    publicJwk,
    encode: (text) => base64url(encoder.encode(text)),
    async sign(input) {
      return base64url(new Uint8Array(await subtle.sign(params, cryptoKey, encoder.encode(input))));
    },
  };
}
