import type { Algorithm } from '@n8n-embed/protocol';
import { type CryptoBackend, hashOf, type ImportedKey, type PublicJwk } from './backend.js';

type NodeCrypto = typeof import('node:crypto');
// Only reached on Node (see loadNodeCrypto), where Buffer is a global.
const { Buffer } = globalThis as unknown as { Buffer: typeof import('node:buffer').Buffer };

/**
 * node:crypto, reached through `process.getBuiltinModule` so that no module of the main entry has a
 * `node:` import (it still bundles for browsers and edge runtimes, which take the WebCrypto path).
 * Verification is synchronous and about twice as fast as WebCrypto through jose.
 */
export function loadNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}

export function createNodeBackend(crypto: NodeCrypto): CryptoBackend {
  // One-shot `hash` (Node 20.12+) is about twice as fast as createHash for a short text; runtimes that
  // imitate node:crypto without it take createHash. Both give the same hex digest.
  const sha256Hex =
    typeof crypto.hash === 'function'
      ? (text: string): string => crypto.hash('sha256', text, 'hex')
      : (text: string): string => crypto.createHash('sha256').update(text).digest('hex');
  return {
    name: 'node',
    async importKey(material): Promise<ImportedKey> {
      const handle =
        'pem' in material
          ? crypto.createPublicKey({ key: material.pem, format: 'pem' })
          : crypto.createPublicKey({ key: material.jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
      return { handle, jwk: handle.export({ format: 'jwk' }) as PublicJwk };
    },
    verify(alg: Algorithm, key, text, signature): boolean {
      // latin1 is exact for the ASCII signing input and much cheaper than TextEncoder.
      const input = Buffer.from(text, 'latin1');
      const hash = hashOf(alg);
      const handle = key.handle as import('node:crypto').KeyObject;
      try {
        if (alg.startsWith('ES')) {
          return crypto.verify(`sha${hash}`, input, { key: handle, dsaEncoding: 'ieee-p1363' }, signature);
        }
        if (alg.startsWith('PS')) {
          const options = {
            key: handle,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: (hash ?? 0) / 8,
          };
          return crypto.verify(`sha${hash}`, input, options, signature);
        }
        return crypto.verify(hash === undefined ? null : `sha${hash}`, input, handle, signature);
      } catch {
        return false; // a signature of the wrong length or shape is simply not valid
      }
    },
    sha256Hex,
  };
}
