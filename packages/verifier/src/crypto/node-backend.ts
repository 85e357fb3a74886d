import { type Algorithm, nodeSha256Hex, signatureParams } from '@n8n-embed/protocol';
import type { CryptoBackend, ImportedKey, JwkMembers } from './backend.js';

type NodeCrypto = typeof import('node:crypto');
// Only reached on Node (see loadNodeCrypto), where Buffer is a global.
const { Buffer } = globalThis as unknown as { Buffer: typeof import('node:buffer').Buffer };

/**
 * node:crypto (reached through the protocol's `loadNodeCrypto`, so the main entry has no `node:`
 * import). Verification is synchronous and about twice as fast as WebCrypto through jose.
 */
export function createNodeBackend(crypto: NodeCrypto): CryptoBackend {
  const sha256Hex = nodeSha256Hex(crypto);
  return {
    name: 'node',
    async importKey(material): Promise<ImportedKey> {
      const handle =
        'pem' in material
          ? crypto.createPublicKey({ key: material.pem, format: 'pem' })
          : crypto.createPublicKey({ key: material.jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
      return { handle, jwk: handle.export({ format: 'jwk' }) as JwkMembers };
    },
    verify(alg: Algorithm, key, text, signature): boolean {
      const params = signatureParams(alg);
      // latin1 is exact for the ASCII signing input and much cheaper than TextEncoder.
      const input = Buffer.from(text, 'latin1');
      const handle = key.handle as import('node:crypto').KeyObject;
      try {
        return crypto.verify(params.nodeHash, input, { key: handle, ...params.nodeOptions }, signature);
      } catch {
        return false; // a signature of the wrong length or shape is simply not valid
      }
    },
    sha256Hex,
  };
}
