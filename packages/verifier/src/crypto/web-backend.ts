import { sha256Hex, signatureParams } from '@n8n-embed/protocol';
import { exportJWK, importJWK, importSPKI } from 'jose';
import type { CryptoBackend, ImportedKey, JwkMembers } from './backend.js';

const encoder = new TextEncoder();

/** The portable path: jose imports keys, WebCrypto verifies. Runs on Node, Deno, Bun, edge runtimes. */
export function createWebBackend(subtle: SubtleCrypto = globalThis.crypto.subtle): CryptoBackend {
  return {
    name: 'webcrypto',
    async importKey(material, alg): Promise<ImportedKey> {
      const handle =
        'pem' in material
          ? await importSPKI(material.pem, alg, { extractable: true })
          : await importJWK({ ...material.jwk, alg, ext: true }, alg);
      if (!(handle instanceof CryptoKey)) throw new TypeError('expected an asymmetric public key');
      const jwk = (await exportJWK(handle)) as JwkMembers;
      return { handle, jwk };
    },
    async verify(alg, key, input, signature): Promise<boolean> {
      try {
        return await subtle.verify(
          signatureParams(alg).web,
          key.handle as CryptoKey,
          signature,
          encoder.encode(input),
        );
      } catch {
        return false;
      }
    },
    sha256Hex: (text) => sha256Hex(text, subtle),
  };
}
