import type { Algorithm } from '@n8n-embed/protocol';
import { exportJWK, importJWK, importSPKI } from 'jose';
import { type CryptoBackend, hashOf, type ImportedKey, type PublicJwk } from './backend.js';

function verifyParams(alg: Algorithm): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  const hash = `SHA-${hashOf(alg)}`;
  if (alg.startsWith('ES')) return { name: 'ECDSA', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', saltLength: (hashOf(alg) ?? 0) / 8 };
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5' };
  return { name: 'Ed25519' };
}

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
      const jwk = (await exportJWK(handle)) as PublicJwk;
      return { handle, jwk };
    },
    async verify(alg, key, input, signature): Promise<boolean> {
      try {
        return await subtle.verify(
          verifyParams(alg),
          key.handle as CryptoKey,
          signature,
          encoder.encode(input),
        );
      } catch {
        return false;
      }
    },
    async sha256Hex(text: string): Promise<string> {
      const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(text)));
      return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    },
  };
}
