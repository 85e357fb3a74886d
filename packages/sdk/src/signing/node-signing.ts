import {
  type Algorithm,
  configError,
  isEmbedLoginError,
  shapeOfCryptoKey,
  shapeOfJwk,
  signatureParams,
} from '@n8n-embed/protocol';
import {
  assertCryptoKeySigns,
  assertPkcs8Pem,
  assertSigningKey,
  type PrivateKeyInput,
  publicJwkOf,
} from '../private-key.js';
import type { LoginHeader, SigningBackend } from './signing-backend.js';

type NodeCrypto = typeof import('node:crypto');
type KeyObject = import('node:crypto').KeyObject;
// Only reached on Node (see loadNodeCrypto), where Buffer is a global.
const { Buffer } = globalThis as unknown as { Buffer: typeof import('node:buffer').Buffer };

function importKey(crypto: NodeCrypto, key: PrivateKeyInput, alg: Algorithm): KeyObject {
  try {
    if (typeof key === 'string') {
      assertPkcs8Pem(key);
      return crypto.createPrivateKey({ key, format: 'pem' });
    }
    if (key instanceof CryptoKey) {
      // The WebCrypto binding (scheme, hash) counts here too: both paths take the same CryptoKeys.
      assertSigningKey(shapeOfCryptoKey(key), alg);
      assertCryptoKeySigns(key);
      return crypto.KeyObject.from(key);
    }
    const jwk = key as import('node:crypto').JsonWebKey;
    // A public JWK is read as one, so the key rule can say "this is a public key".
    return key.d === undefined
      ? crypto.createPublicKey({ key: jwk, format: 'jwk' })
      : crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (cause) {
    if (isEmbedLoginError(cause)) throw cause;
    throw configError('privateKey: not a readable private key for this algorithm', cause);
  }
}

/** The fast path: a `KeyObject` and synchronous `crypto.sign`; the JWS is assembled here. */
export function createNodeSigning(
  crypto: NodeCrypto,
  key: PrivateKeyInput,
  header: LoginHeader & { readonly alg: Algorithm },
): SigningBackend {
  const keyObject = importKey(crypto, key, header.alg);
  const jwk = keyObject.export({ format: 'jwk' }) as Record<string, unknown>;
  assertSigningKey({ ...shapeOfJwk(jwk), isPrivate: keyObject.type === 'private' }, header.alg);
  const params = signatureParams(header.alg);
  const options = { key: keyObject, ...params.nodeOptions };
  const encodedHeader = Buffer.from(JSON.stringify(header)).toString('base64url');
  return {
    name: 'node',
    publicJwk: publicJwkOf(jwk, header.alg, header.kid),
    sign(payload) {
      const input = `${encodedHeader}.${Buffer.from(payload).toString('base64url')}`;
      // latin1 is exact for the ASCII signing input.
      const signature = crypto.sign(params.nodeHash, Buffer.from(input, 'latin1'), options);
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}
